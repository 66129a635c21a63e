#!/usr/bin/perl
# 65-rollout-crash.t: a 10-device DNS/NTP rollout survives kill -9 of the
# agent (in a device's write whose answer never came, before a device's
# first write, in the pause between batches) and a Redis restart: the
# restarted agent takes the job over from the job stream and PostgreSQL,
# every device ends with the new values and no write reached a device
# twice. A device failing its health check mid-batch rolls the applied
# devices back; a device unreachable during that rollback is recorded as
# rollback_failed and restored later by config_rollback_plan.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;
use JobTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};
plan skip_all => 'ROUTEROS_MCP_APPROVAL_KEY not set for this stack'
  unless $ENV{ROUTEROS_MCP_APPROVAL_KEY};

# the restarted agents reclaim a dead agent's job after 5 s, not 15 s
$ENV{ROUTEROS_MCP_RECLAIM_IDLE_MS} = 5000;
stack_cmd('restart-agent');
END {
    my $rc = $?;
    delete $ENV{ROUTEROS_MCP_RECLAIM_IDLE_MS};
    eval { stack_cmd('start-redis') };
    eval { stack_cmd('start-pg') };
    eval { stack_cmd('restart-agent') };
    $? = $rc;
}

my @ids = private_sim('t65', 4, 10, 8);
my @ips = map { "127.0.4.$_" } 1 .. 10;
my $s = mcp_session();
$s->initialize();
my $round = 0;

sub dns { return dev_state($_[0])->{menus}{'/ip/dns'}{servers} }
sub ntp { return dev_state($_[0])->{menus}{'/system/ntp/client'}{servers} }

# A fresh rollout over the ten devices: (plan id, token, new DNS, new NTP).
sub rollout {
    my (%args) = @_;
    $round++;
    dev_reset($_) for @ips;
    my ($d, $n) = ("10.65.$round.1", "ntp$round.t65.example");
    my $plan = rollout_plan($s, \@ids, dns_servers => [$d],
                            ntp_servers => [$n], %args);
    return ($plan, approve($plan), $d, $n);
}

sub writes_each {
    my ($what) = @_;
    return [ map { dev_writes($_, $what) } @ips ];
}

sub steps {
    my ($job) = @_;
    return { map { $_->[0] => $_->[1] }
             psql("SELECT device_id, step FROM job_devices WHERE "
                  . "job_id = '$job'") };
}

sub logged {
    my ($ip, $method, $path) = @_;
    return grep { $_->{method} eq $method && $_->{path} eq $path }
           @{ JobTest::_call('GET', $ip, '/__sim/requests') };
}

# --- kill -9 in a write whose answer never came, and before a first write -----
my ($plan, $tok, $dns, $ntp) = rollout(batch_size => 3, pause_seconds => 0);
my @orig_dns = map { dns($_) } @ips;
# device 5 answers /ip/dns 3 s late; device 8 likewise
dev_fault($ips[4], { mode => 'slow', latency_ms => 3000, paths => ['/ip/dns'] });
dev_fault($ips[7], { mode => 'slow', latency_ms => 3000, paths => ['/ip/dns'] });
my ($pid, $file) = call_in_background('config_apply_dns_ntp_rollout',
    { plan_id => $plan, approval_token => $tok });
ok(wait_for(sub { logged($ips[4], 'PATCH', '/rest/ip/dns') }, 120),
   'device 5 received its DNS write (its answer is 3 s late)');
stack_cmd('kill9-agent');
my $job = job_of($plan);
ok($job, "the rollout runs as job $job");
is(dns($ips[4]), $dns, 'the write in flight reached device 5 before the kill');
is(psql_value("SELECT pending_write IS NOT NULL FROM job_devices WHERE "
              . "job_id = '$job' AND device_id = '$ids[4]'"), 't',
   'its step record says a write was in flight');
is(psql_value("SELECT status FROM jobs WHERE id = '$job'"), 'running',
   'the job is running with no agent');
stack_cmd('start-agent');
ok(wait_for(sub { logged($ips[7], 'GET', '/rest/ip/dns') >= 2 }, 180),
   'the restarted agent took the job over and reached device 8');
# device 8: its read before the write was answered late; kill before it
ok(!logged($ips[7], 'PATCH', '/rest/ip/dns'),
   'device 8 not written yet');
stack_cmd('kill9-agent');
dev_fault($_, { mode => 'ok' }) for @ips[4, 7];
stack_cmd('start-agent');
ok(wait_job($job, "j.status IN ('completed', 'failed', 'cancelled')", 240),
   'the job finished after two kills');
my $reply = reply_of($pid, $file, 120);
my $sc = $reply && $reply->{json}{result}{structuredContent};
is($sc && $sc->{status}, 'completed',
   'the original tools/call got the final result from the resumed agent');
is($sc && $sc->{job_id}, $job, '... naming the job');
is(psql_value("SELECT status || ' ' || attempts || ' ' || progress_percent "
              . "FROM jobs WHERE id = '$job'"), 'completed 3 100',
   'job completed on its third delivery, 100 %');
is(psql_value("SELECT status FROM plans WHERE id = '$plan'"), 'completed',
   'plan completed');
is_deeply([ map { dns($_) } @ips ], [ ($dns) x 10 ],
          'every device holds the new DNS server');
is_deeply([ map { ntp($_) } @ips ], [ ($ntp) x 10 ],
          'every device holds the new NTP server');
is_deeply(writes_each('/rest/ip/dns'), [ (1) x 10 ],
          'exactly one DNS write reached each device (none repeated)');
is_deeply(writes_each('/rest/system/ntp/client'), [ (1) x 10 ],
          'exactly one NTP write reached each device');
is_deeply([ sort values %{ steps($job) } ], [ ('healthy') x 10 ],
          'every step record ends healthy');
is(psql_value("SELECT count(*) FROM audit_events WHERE job_id = '$job' AND "
              . "action = 'JOB_RESUMED'"), 2, 'both take-overs audited');

# --- kill -9 in the pause between batches ------------------------------------
($plan, $tok, $dns, $ntp) = rollout(batch_size => 5, pause_seconds => 6);
($pid, $file) = call_in_background('config_apply_dns_ntp_rollout',
    { plan_id => $plan, approval_token => $tok });
ok(wait_for(sub { ($job = job_of($plan))
                  && psql_value("SELECT next_run_at IS NOT NULL FROM jobs "
                                . "WHERE id = '$job'") eq 't' }, 120),
   'first batch done, the job pauses (next_run_at recorded)');
my $st = steps($job);
is_deeply([ map { $st->{$_} } @ids ],
          [ ('healthy') x 5, ('pending') x 5 ], 'batch 1 healthy, 2 pending');
stack_cmd('kill9-agent');
stack_cmd('start-agent');
ok(wait_job($job, "j.status IN ('completed', 'failed', 'cancelled')", 240),
   'the job finished after a kill in its pause');
$reply = reply_of($pid, $file, 120);
is($reply && $reply->{json}{result}{structuredContent}{status}, 'completed',
   'rollout completed');
is_deeply([ map { dns($_) } @ips ], [ ($dns) x 10 ], 'all ten have the DNS');
is_deeply(writes_each('/rest/ip/dns'), [ (1) x 10 ], 'one DNS write each');

# --- Redis, then PostgreSQL, restarted in the pause: nothing lost -----------
sub restart_in_pause {
    my ($what, $name) = @_;
    ($plan, $tok, $dns, $ntp) = rollout(batch_size => 5, pause_seconds => 4);
    ($pid, $file) = call_in_background('config_apply_dns_ntp_rollout',
        { plan_id => $plan, approval_token => $tok });
    ok(wait_for(sub { ($job = job_of($plan))
                      && psql_value("SELECT next_run_at IS NOT NULL FROM "
                                    . "jobs WHERE id = '$job'") eq 't' }, 120),
       "$name: first batch done, pausing");
    stack_cmd("stop-$what");
    stack_cmd("start-$what");
    # sessions live in Redis: a new one for the calls that follow
    ok(wait_for(sub { $s = mcp_session(); $s->initialize(); $s->session_id },
                60), "$name: a session works again");
    ok(wait_job($job, "j.status IN ('completed', 'failed', 'cancelled')", 240),
       "$name: the job finished across the restart");
    reply_of($pid, $file, 120);
    is(psql_value("SELECT status FROM jobs WHERE id = '$job'"), 'completed',
       "$name: job completed");
    is_deeply([ map { dns($_) } @ips ], [ ($dns) x 10 ],
              "$name: all ten have the DNS");
    is_deeply(writes_each('/rest/ip/dns'), [ (1) x 10 ],
              "$name: one DNS write each");
}
restart_in_pause('redis', 'Redis restart');
restart_in_pause('pg', 'PostgreSQL restart');

# --- health check fails mid-batch; a device unreachable in the rollback -------
($plan, $tok, $dns, $ntp) = rollout(batch_size => 3, pause_seconds => 0);
@orig_dns = map { dns($_) } @ips;
JobTest::_call('POST', $ips[4], '/__sim/state',
               { menus => { '/system/resource' => { 'cpu-load' => '97' } } });
# device 5's health reads are slow: time to take device 2 away meanwhile
dev_fault($ips[4], { mode => 'slow', latency_ms => 2000,
                     paths => ['/system/resource'] });
($pid, $file) = call_in_background('config_apply_dns_ntp_rollout',
    { plan_id => $plan, approval_token => $tok });
ok(wait_for(sub { ($job = job_of($plan))
                  && (steps($job)->{$ids[4]} // '') =~ /^applying|applied$/ },
             120), 'batch 2 reached device 5 (its health reads are slow)');
dev_fault($ips[1], { mode => 'down' });
ok(wait_job($job, "j.status IN ('completed', 'failed', 'cancelled')", 240),
   'the job finished');
$reply = reply_of($pid, $file, 120);
$sc = $reply && $reply->{json}{result}{structuredContent};
is($sc && $sc->{status}, 'failed', 'plan failed: one device not restored');
ok($reply && $reply->{json}{result}{isError}, 'the call is an error');
$st = steps($job);
is($st->{$ids[4]}, 'rolled_back', 'degraded device 5 rolled back');
is($st->{$ids[1]}, 'rollback_failed', 'unreachable device 2: rollback_failed');
is_deeply([ map { $st->{$_} } @ids[0, 2, 3, 5] ], [ ('rolled_back') x 4 ],
          'devices 1, 3, 4, 6 rolled back');
is_deeply([ map { $st->{$_} } @ids[6 .. 9] ], [ ('skipped') x 4 ],
          'devices 7-10 never started');
dev_fault($ips[1], { mode => 'ok' });
dev_fault($ips[4], { mode => 'ok' });
is(dns($ips[1]), $dns, 'device 2 still holds the new DNS');
is_deeply([ map { dns($ips[$_]) } 0, 2 .. 9 ], [ @orig_dns[0, 2 .. 9] ],
          'every other device holds its old DNS');
is_deeply([ map { dev_writes($ips[$_], '/rest/ip/dns') } 6 .. 9 ], [ 0, 0, 0, 0 ],
          'no write reached the skipped devices');
my $ps = psql_value("SELECT device_statuses::text FROM plans WHERE id = '$plan'");
my $ds = MCPTest::json_decode($ps);
is($ds->{$ids[1]}{status}, 'rollback_failed', 'the plan records device 2 as rollback_failed');
is($ds->{$ids[7]}{status}, 'not_started', '... and device 8 as not_started');
my $r = $s->call_tool('config_rollback_plan', { plan_id => $plan,
                                                reason => 't65 device 2 back' });
is($r->{result}{structuredContent}{status}, 'rolled_back',
   'config_rollback_plan restores device 2 once it is reachable');
is(dns($ips[1]), $orig_dns[1], 'device 2 holds its old DNS again');

dev_reset($_) for @ips;
done_testing();
