#!/usr/bin/perl
# rollout.pl: times config_apply_dns_ntp_rollout over the given devices
# (plan via MCP, approve via routeros-mcp-admin, apply via MCP), RUNS times.
#
# usage: rollout.pl <admin-bin> <runs> <device-id>...   (env: stack.sh env)
# Prints "RUN <i> <seconds> <status> <devices ok>/<devices>" per run.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use MCPTest;
use Time::HiRes qw(time);

my ($admin, $runs, @ids) = @ARGV;
die "usage: $0 <admin-bin> <runs> <device-id>...\n" unless $runs && @ids > 1;

my $s = mcp_session();
$s->initialize('2025-11-25');
$s->{http}{timeout} = 600;

sub sc {
    my ($r, $what) = @_;
    my $sc = $r->{result}{structuredContent};
    die "bench: $what: " . MCPTest::json_encode($r) . "\n"
      if !$sc || $r->{result}{isError};
    return $sc;
}

for my $i (1 .. $runs) {
    my $plan = sc($s->call_tool('config_plan_dns_ntp_rollout', {
        device_ids => \@ids, dns_servers => ["10.53.$i.1", "10.53.$i.2"],
        ntp_servers => ["ntp$i.bench.example"],
        batch_size => 5, pause_seconds => 0 }), 'plan');
    my $id = $plan->{plan_id};
    my $token = `'$admin' plan approve '$id' --approver bench 2>/dev/null`;
    chomp $token;
    die "bench: plan approve $id failed\n" if $? != 0 || $token eq '';
    my $t0 = time;
    my $r = $s->call_tool('config_apply_dns_ntp_rollout',
                          { plan_id => $id, approval_token => $token });
    my $dt = time - $t0;
    my $out = sc($r, 'apply');
    my $devs = $out->{devices} // [];
    my $ok = grep { ($_->{status} // '') =~ /^(applied|ok|succeeded|done)$/ }
             @$devs;
    printf "RUN %d %.3f %s %d/%d\n", $i, $dt, $out->{status} // '?', $ok,
           scalar @$devs;
}
