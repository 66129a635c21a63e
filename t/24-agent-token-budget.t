#!/usr/bin/perl
# 24-agent-token-budget.t: every tool answer carries _meta.estimated_tokens,
# and an answer over ROUTEROS_MCP_TOKEN_MAX becomes an error result asking
# for a narrower call instead of flooding the client's context.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

END {
    delete $ENV{ROUTEROS_MCP_TOKEN_MAX};
    delete $ENV{ROUTEROS_MCP_TOKEN_WARN};
    eval { stack_cmd('restart-agent') };
}

my $s = mcp_session();
$s->initialize('2025-06-18');

my $r = $s->call_tool('echo', { message => 'x' x 400 });
my $tokens = $r->{result}{_meta}{estimated_tokens};
ok(defined $tokens, 'an echo answer carries _meta.estimated_tokens');
my $size = length(json_encode({ %{ $r->{result} }, _meta => {} }));
cmp_ok($tokens, '>=', int($size / 4) - 10,
       'the estimate is about a quarter of the answer size (low side)');
cmp_ok($tokens, '<=', int($size / 4) + 20,
       'the estimate is about a quarter of the answer size (high side)');

$r = $s->call_tool('list_devices', {});
ok($r->{result}{_meta}{estimated_tokens} > 0,
   'a device-list answer carries an estimate too');

$ENV{ROUTEROS_MCP_TOKEN_MAX} = 200;
$ENV{ROUTEROS_MCP_TOKEN_WARN} = 100;
stack_cmd('restart-agent');

$r = $s->call_tool('echo', { message => 'short' });
ok(!$r->{result}{isError}, 'a small answer still passes under a low limit');

$r = $s->call_tool('echo', { message => 'y' x 2000 });
ok($r->{result}{isError}, 'an answer over the limit becomes an error result');
like($r->{result}{content}[0]{text},
     qr/about \d+ tokens, more than the limit of 200\. Ask for less/,
     'the text gives the size, the limit and asks for a narrower call');
is($r->{result}{_meta}{error}, 'answer_too_large',
   '_meta names the reason');
ok($r->{result}{_meta}{answer_estimated_tokens} > 200,
   '_meta gives the refused answer\'s estimate');
unlike(json_encode($r->{result}), qr/yyyyyyyyyy/,
       'none of the oversized payload reaches the client');
ok(!exists $r->{result}{structuredContent},
   'the refused answer carries no structured content');

done_testing();
