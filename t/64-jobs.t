#!/usr/bin/perl
# 64-jobs.t: apply_* as a job: the job row (pending -> running ->
# completed), per-device steps, progress notifications to a caller with a
# progressToken, get_job_status and job://{job_id} while running and after,
# every transition audited; cancel_job and notifications/cancelled stop the
# rollout before the next batch with the plan telling the truth per device;
# an agent stopped (SIGTERM) in the pause hands the job to the next agent.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;
use JobTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};
plan skip_all => 'ROUTEROS_MCP_APPROVAL_KEY not set for this stack'
  unless $ENV{ROUTEROS_MCP_APPROVAL_KEY};

$ENV{ROUTEROS_MCP_RECLAIM_IDLE_MS} = 5000;
stack_cmd('restart-agent');
END {
    my $rc = $?;
    delete $ENV{ROUTEROS_MCP_RECLAIM_IDLE_MS};
    eval { stack_cmd('restart-agent') };
    $? = $rc;
}

my @ids = private_sim('t64', 3, 4, 5);
my @ips = map { "127.0.3.$_" } 1 .. 4;
my $s = mcp_session();
$s->initialize();
my $round = 0;

sub sc { return $_[0]{result}{structuredContent} }
sub dns { return dev_state($_[0])->{menus}{'/ip/dns'}{servers} }
sub rollout {
    my (%args) = @_;
    $round++;
    dev_reset($_) for @ips;
    my $d = "10.64.$round.1";
    my $plan = rollout_plan($s, \@ids, dns_servers => [$d], %args);
    return ($plan, approve($plan), $d);
}
sub final { return "j.status IN ('completed', 'failed', 'cancelled')" }

# --- a rollout as a job, watched while it runs --------------------------------
my ($plan, $tok, $dns) = rollout(batch_size => 1, pause_seconds => 3);
my ($pid, $file) = call_in_background('config_apply_dns_ntp_rollout',
    { plan_id => $plan, approval_token => $tok }, meta => { progressToken => 't64' });
my $job;
ok(wait_for(sub { ($job = job_of($plan))
                  && psql_value("SELECT next_run_at IS NOT NULL FROM jobs "
                                . "WHERE id = '$job'") eq 't' }, 120),
   'job created; it pauses after batch 1');
like($job, qr/^job-\d{14}-[0-9a-f]{8}$/, 'job id format');
my $r = $s->call_tool('get_job_status', { job_id => $job });
my $st = sc($r);
is($st->{status}, 'running', 'get_job_status while running: running');
is($st->{progress_percent}, 25, '... 25 % (one of four devices)');
is($st->{plan_id}, $plan, '... of the plan');
is($st->{batch_count}, 4, '... four batches');
is_deeply([ map { $_->{step} } @{ $st->{devices} } ],
          [ 'healthy', 'pending', 'pending', 'pending' ], '... device steps');
$r = $s->request('resources/read', { uri => "job://$job" });
my $doc = MCPTest::json_decode($r->{json}{result}{contents}[0]{text});
is($doc->{job_id}, $job, 'job://{job_id} serves the same document');
is($doc->{status}, 'running', '... running');
ok(wait_job($job, final(), 120), 'the job finished');
my $reply = reply_of($pid, $file, 60);
my $res = $reply->{json}{result};
is($res->{structuredContent}{status}, 'completed', 'apply answered completed');
is($res->{structuredContent}{job_id}, $job, '... with the job id');
my @prog = grep { ($_->{method} // '') eq 'notifications/progress' }
           @{ $reply->{events} };
ok(@prog >= 4, 'progress notifications reached the caller: ' . scalar @prog);
is($prog[0]{params}{progressToken}, 't64', '... with its progressToken');
is($prog[-1]{params}{progress}, 4, '... the last one says 4');
is($prog[-1]{params}{total}, 4, '... of 4');
$st = sc($s->call_tool('get_job_status', { job_id => $job }));
is($st->{status}, 'completed', 'get_job_status after: completed');
is($st->{progress_percent}, 100, '... 100 %');
is($st->{attempts}, 1, '... one delivery');
ok($st->{finished_at}, '... finished_at set');
is($st->{result}{status}, 'completed', '... the final report is stored');
is_deeply([ map { dns($_) } @ips ], [ ($dns) x 4 ], 'all four devices changed');
is(psql_value("SELECT string_agg(action, ',' ORDER BY seq) FROM "
              . "audit_events WHERE job_id = '$job'"),
   'JOB_CREATED,JOB_RUNNING,JOB_COMPLETED', 'every job transition audited');
is(psql_value("SELECT meta->>'plan_id' FROM audit_events WHERE job_id = "
              . "'$job' AND action = 'JOB_CREATED'"), $plan,
   'job events name the plan');

$r = $s->call_tool('get_job_status', { job_id => 'job-20990101000000-deadbeef' });
ok($r->{result}{isError}, 'unknown job: an error result');
is(sc($r)->{status}, 'not_found', '... status not_found');
$r = $s->request('resources/read', { uri => 'job://job-20990101000000-deadbeef' });
is($r->{json}{error}{code}, -32002, 'job:// of an unknown job: -32002');
$r = $s->call_tool('cancel_job', { job_id => $job });
ok($r->{result}{isError}, 'cancel_job of a finished job refused');
is(sc($r)->{status}, 'completed', '... it stays completed');

# --- cancel_job in the pause ------------------------------------------------
($plan, $tok, $dns) = rollout(batch_size => 2, pause_seconds => 300);
my @orig = map { dns($_) } @ips;
($pid, $file) = call_in_background('config_apply_dns_ntp_rollout',
    { plan_id => $plan, approval_token => $tok });
ok(wait_for(sub { ($job = job_of($plan))
                  && psql_value("SELECT next_run_at IS NOT NULL FROM jobs "
                                . "WHERE id = '$job'") eq 't' }, 120),
   'batch 1 done, pausing 300 s');
$r = $s->call_tool('config_rollback_plan', { plan_id => $plan,
                                             reason => 't64 too early' });
ok($r->{result}{isError}, 'a rollback while the apply job runs is refused');
like($r->{result}{content}[0]{text}, qr/apply job \Q$job\E is still running/,
     '... naming the running job');
is(psql_value("SELECT status FROM plans WHERE id = '$plan'"), 'executing',
   '... and the plan is still executing');
$r = $s->call_tool('cancel_job', { job_id => $job });
ok(!$r->{result}{isError}, 'cancel_job accepted');
is(sc($r)->{cancellation_requested}, JSON::PP::true(), '... cancellation requested');
ok(wait_job($job, final(), 60), 'the job stopped without waiting out the pause');
$reply = reply_of($pid, $file, 60);
$res = $reply->{json}{result}{structuredContent};
is($res->{status}, 'cancelled', 'apply answered cancelled');
is_deeply([ sort @{ $res->{skipped} } ], [ @ids[2, 3] ], '... batch 2 skipped');
is(psql_value("SELECT status FROM jobs WHERE id = '$job'"), 'cancelled',
   'job cancelled');
is(psql_value("SELECT status FROM plans WHERE id = '$plan'"), 'cancelled',
   'plan cancelled');
my $ds = MCPTest::json_decode(psql_value(
    "SELECT device_statuses::text FROM plans WHERE id = '$plan'"));
is_deeply([ map { $ds->{$_}{status} } @ids ],
          [ 'applied', 'applied', 'not_started', 'not_started' ],
          'the plan tells per device: applied, applied, not started x2');
is_deeply([ map { dns($_) } @ips ], [ $dns, $dns, @orig[2, 3] ],
          'the simulator agrees');
is(psql_value("SELECT count(*) FROM audit_events WHERE job_id = '$job' AND "
              . "action IN ('JOB_CANCEL_REQUESTED', 'JOB_CANCELLED')"), 2,
   'request and cancellation audited');
$r = $s->call_tool('config_rollback_plan', { plan_id => $plan,
                                             reason => 't64 undo' });
is(sc($r)->{status}, 'rolled_back', 'a cancelled plan can be rolled back');
is_deeply([ map { dns($_) } @ips ], \@orig, 'every device as before');

# --- routeros-mcp-admin job cancel ---------------------------------------------
($plan, $tok, $dns) = rollout(batch_size => 2, pause_seconds => 300);
($pid, $file) = call_in_background('config_apply_dns_ntp_rollout',
    { plan_id => $plan, approval_token => $tok });
ok(wait_for(sub { ($job = job_of($plan))
                  && psql_value("SELECT next_run_at IS NOT NULL FROM jobs "
                                . "WHERE id = '$job'") eq 't' }, 120),
   'batch 1 done, pausing 300 s');
my $admin = "$ENV{BUILD}/routeros-mcp-admin";
like(`$admin job list 2>/dev/null`, qr/^\Q$job\E\s+running\s+50%/m,
     'job list: running at 50 %');
my $shown = MCPTest::json_decode(scalar `$admin job show $job 2>/dev/null`);
is($shown->{status}, 'running', 'job show: the job document');
is(system("$admin job cancel $job --by t64-operator >/dev/null 2>&1"), 0,
   'job cancel');
ok(wait_job($job, final(), 60), 'the job stopped');
reply_of($pid, $file, 60);
is(psql_value("SELECT status FROM jobs WHERE id = '$job'"), 'cancelled',
   'cancelled from the CLI');
is(psql_value("SELECT user_sub FROM audit_events WHERE job_id = '$job' AND "
              . "action = 'JOB_CANCEL_REQUESTED'"), 't64-operator',
   '... audited with the operator');
isnt(system("$admin job cancel $job >/dev/null 2>&1"), 0,
     'cancelling a finished job fails');

# --- notifications/cancelled of the apply request ---------------------------
($plan, $tok, $dns) = rollout(batch_size => 2, pause_seconds => 300);
my $c = mcp_session();
$c->initialize('2025-06-18');
my $rid = "t64-cancel-$$";
($pid, $file) = call_in_background('config_apply_dns_ntp_rollout',
    { plan_id => $plan, approval_token => $tok }, session => $c, id => $rid);
ok(wait_for(sub { ($job = job_of($plan))
                  && psql_value("SELECT next_run_at IS NOT NULL FROM jobs "
                                . "WHERE id = '$job'") eq 't' }, 120),
   'batch 1 done, pausing');
$r = $c->notify('notifications/cancelled', { requestId => $rid,
                                             reason => 't64' });
is($r->{status}, 202, 'notifications/cancelled: 202');
ok(wait_job($job, final(), 60), 'the job stopped');
reply_of($pid, $file, 60);
is(psql_value("SELECT status FROM jobs WHERE id = '$job'"), 'cancelled',
   'job cancelled by the client\'s notification');
is(psql_value("SELECT status FROM plans WHERE id = '$plan'"), 'cancelled',
   'plan cancelled');
is_deeply([ map { dev_writes($_, '/rest/ip/dns') } @ips ], [ 1, 1, 0, 0 ],
          'batch 2 never written');

# --- SIGTERM in the pause: handed to the next agent ---------------------------
($plan, $tok, $dns) = rollout(batch_size => 2, pause_seconds => 5);
($pid, $file) = call_in_background('config_apply_dns_ntp_rollout',
    { plan_id => $plan, approval_token => $tok });
ok(wait_for(sub { ($job = job_of($plan))
                  && psql_value("SELECT next_run_at IS NOT NULL FROM jobs "
                                . "WHERE id = '$job'") eq 't' }, 120),
   'batch 1 done, pausing');
stack_cmd('restart-agent');
ok(wait_job($job, final(), 180), 'the job finished');
$reply = reply_of($pid, $file, 60);
is($reply->{json}{result}{structuredContent}{status}, 'completed',
   'the call got completed from the next agent');
is(psql_value("SELECT attempts FROM jobs WHERE id = '$job'"), 2,
   'two deliveries: the stopped agent handed the job off');
is_deeply([ map { dns($_) } @ips ], [ ($dns) x 4 ], 'all four changed');
is_deeply([ map { dev_writes($_, '/rest/ip/dns') } @ips ], [ 1, 1, 1, 1 ],
          'one write each');

# a write a job could not settle (left in flight, device unreachable when
# the job resumed; set here directly) keeps the rollback from claiming
# the device is restored
psql("UPDATE job_devices SET pending_write = '{\"index\": 0}' "
     . "WHERE job_id = '$job' AND device_id = '$ids[0]'");
$r = $s->call_tool('config_rollback_plan', { plan_id => $plan,
                                             reason => 't64 unsettled' });
ok($r->{result}{isError}, 'rollback with an unsettled write: a tool error');
is(sc($r)->{status}, 'failed', '... the plan ends failed');
my %dev = map { $_->{device_id} => $_ } @{ sc($r)->{devices} // [] };
is($dev{$ids[0]}{status}, 'rollback_failed',
   '... that device is not reported restored');
like($dev{$ids[0]}{message} // '', qr/could not settle/, '... saying why');
is($dev{$ids[1]}{status}, 'rolled_back', '... the others are rolled back');

dev_reset($_) for @ips;
done_testing();
