#!/usr/bin/perl
# 13-completion.t: completion/complete over the real path (nginx → Redis →
# agent → PostgreSQL): device and plan ids by prefix, prompt enums from
# shared/prompts, the 100-value bound, and bad references.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

my $s = mcp_session();
$s->initialize('2025-11-25');

my $tag = "plan-t13-$$";
END { eval { psql("DELETE FROM plans WHERE id LIKE '$tag-%'") } }

sub complete {
    my ($ref, $name, $value) = @_;
    my $r = $s->request('completion/complete',
                        { ref => $ref,
                          argument => { name => $name, value => $value } });
    die "completion/complete: HTTP $r->{status}" unless $r->{json};
    return $r->{json};
}

sub prompt   { return { type => 'ref/prompt', name => $_[0] } }
sub resource { return { type => 'ref/resource', uri => $_[0] } }

# --- device ids ------------------------------------------------------------------

my @sim = map { $_->[0] }
          psql("SELECT id FROM devices WHERE id LIKE 'dev-sim-r%' ORDER BY id");
is_deeply(\@sim, [qw(dev-sim-r1 dev-sim-r2 dev-sim-r3)],
          'the stack registered the three simulated devices');

my $c = complete(prompt('comprehensive-device-review'), 'device_id',
                 'dev-sim-r')->{result}{completion};
is_deeply($c->{values}, \@sim, 'prompt device_id "dev-sim-r": dev-sim-r1..3');
is($c->{total}, 3, 'prompt device_id: total 3');
is($c->{hasMore}, JSON::PP::false, 'prompt device_id: hasMore false');

$c = complete(resource('device://{device_id}/overview'), 'device_id',
              'dev-sim-r2')->{result}{completion};
is_deeply($c->{values}, ['dev-sim-r2'],
          'resource template device_id "dev-sim-r2": only that device');

$c = complete(prompt('troubleshoot-device'), 'device_id',
              'zz-none')->{result}{completion};
is_deeply($c->{values}, [], 'no device with the prefix: empty list');
is($c->{total}, 0, 'no device with the prefix: total 0');

# --- plan ids and the 100-value bound ----------------------------------------------

psql("INSERT INTO plans (id, created_by, tool_name, content_hash) "
     . "SELECT '$tag-' || lpad(n::text, 3, '0'), 'tester', 'plan_dns_ntp', "
     . "repeat('0', 64) FROM generate_series(1, 105) n");
$c = complete(resource('plan://{plan_id}/details'), 'plan_id',
              "$tag-")->{result}{completion};
is(scalar @{ $c->{values} }, 100, 'plan ids: at most 100 values');
is($c->{values}[0], "$tag-001", 'plan ids: in id order');
is($c->{total}, 105, 'plan ids: total counts every match');
is($c->{hasMore}, JSON::PP::true, 'plan ids: hasMore true');

$c = complete(resource('plan://{plan_id}/history'), 'plan_id',
              "$tag-10")->{result}{completion};
is_deeply($c->{values}, [ map { "$tag-10$_" } 0 .. 5 ],
          'plan ids: prefix narrows to the matching plans');

# --- enums from the prompt definitions -----------------------------------------------

$c = complete(prompt('fleet-health-review'), 'environment', '')
  ->{result}{completion};
is_deeply($c->{values}, [qw(lab staging prod all)],
          'fleet-health-review environment: the enum of the prompt');
$c = complete(prompt('dns-ntp-rollout'), 'environment', 'st')
  ->{result}{completion};
is_deeply($c->{values}, ['staging'], 'environment "st": staging');
$c = complete(prompt('troubleshoot-dns-ntp'), 'issue_type', 'd')
  ->{result}{completion};
is_deeply($c->{values}, ['dns'], 'troubleshoot-dns-ntp issue_type "d": dns');

# --- bad references and arguments ----------------------------------------------------

is(complete(prompt('no-such-prompt'), 'device_id', '')->{error}{code},
   -32602, 'unknown prompt: -32602');
is(complete(prompt('fleet-health-review'), 'nope', '')->{error}{code},
   -32602, 'argument the prompt does not have: -32602');
is(complete({ type => 'ref/tool', name => 'x' }, 'device_id', '')
     ->{error}{code}, -32602, 'unknown ref type: -32602');
is($s->request('completion/complete',
               { ref => prompt('fleet-health-review') })->{json}{error}{code},
   -32602, 'missing argument: -32602');
is(complete(prompt('fleet-health-review'), 'environment', 'x' x 300)
     ->{error}{code}, -32602, 'overlong value: -32602');

done_testing;
