#!/usr/bin/perl
# 12-protocol-prompts.t: prompts/list shows the templates of shared/prompts,
# prompts/get renders one with the arguments; bad arguments are -32602.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP;
use MCPTest;

my $dir = "$FindBin::Bin/../shared/prompts/templates";
opendir(my $dh, $dir) or die "$dir: $!";
my @files = sort grep { /\.json$/ } readdir $dh;
closedir $dh;
my %def = map {
    open(my $fh, '<', "$dir/$_") or die "$_: $!";
    local $/;
    my $d = decode_json(<$fh>);
    ($d->{name} => $d);
} @files;

my $s = mcp_session();
my $init = $s->initialize('2025-11-25');
is_deeply($init->{json}{result}{capabilities}{prompts},
          { listChanged => JSON::PP::false },
          'initialize advertises prompts without listChanged');

my $r = $s->request('prompts/list', {});
is($r->{status}, 200, 'prompts/list: 200');
my $prompts = $r->{json}{result}{prompts};
is_deeply([ map { $_->{name} } @$prompts ], [ sort keys %def ],
          'prompts/list names every template file, sorted');
ok(!exists $r->{json}{result}{nextCursor}, 'prompts/list: one page');

my ($td) = grep { $_->{name} eq 'troubleshoot-device' } @$prompts;
is($td->{title}, 'Troubleshoot a device', 'title from the template');
is_deeply([ map { $_->{name} } @{ $td->{arguments} } ],
          [ 'device_id', 'issue_type' ], 'arguments listed in order');
ok(!exists $td->{template}, 'the template text itself is not listed');

$r = $s->request('prompts/get', { name => 'troubleshoot-device',
    arguments => { device_id => 'dev-sim-r1', issue_type => 'health' } });
is($r->{status}, 200, 'prompts/get: 200');
my $msg = $r->{json}{result}{messages}[0];
is($msg->{role}, 'user', 'one user message');
is($msg->{content}{type}, 'text', 'text content');
like($msg->{content}{text},
     qr/^Troubleshoot device dev-sim-r1; reported issue: health\./,
     'arguments substituted into the template');
is($r->{json}{result}{description}, $def{'troubleshoot-device'}{description},
   'description from the template');

$r = $s->request('prompts/get', { name => 'troubleshoot-device' });
like($r->{json}{result}{messages}[0]{content}{text},
     qr/reported issue: unknown\./, 'missing optional argument: fallback');

$r = $s->request('prompts/get', { name => 'troubleshoot-device',
    arguments => { issue_type => 'weather' } });
is($r->{json}{error}{code}, -32602, 'value outside the enum: -32602');
like($r->{json}{error}{message}, qr/params\.arguments\.issue_type/,
     'the error names the argument');

$r = $s->request('prompts/get', { name => 'troubleshoot-device',
    arguments => { colour => 'red' } });
is($r->{json}{error}{code}, -32602, 'unknown argument: -32602');
like($r->{json}{error}{message}, qr/params\.arguments\.colour/,
     'the error names the unknown argument');

$r = $s->request('prompts/get', { name => 'troubleshoot-device',
    arguments => { device_id => 7 } });
is($r->{json}{error}{code}, -32602, 'non-string argument: -32602');
like($r->{json}{error}{message}, qr/params\.arguments\.device_id/,
     'the error names the non-string argument');

my ($req) = grep { grep { $_->{required} } @{ $_->{arguments} } }
            map { $def{$_} } sort keys %def;
SKIP: {
    skip 'no template has a required argument', 2 unless $req;
    my ($arg) = grep { $_->{required} } @{ $req->{arguments} };
    $r = $s->request('prompts/get', { name => $req->{name} });
    is($r->{json}{error}{code}, -32602,
       "$req->{name} without $arg->{name}: -32602");
    like($r->{json}{error}{message}, qr/params\.arguments\.$arg->{name}/,
         'the error names the missing argument');
}

$r = $s->request('prompts/get', { name => 'no-such-prompt' });
is($r->{json}{error}{code}, -32602, 'unknown prompt: -32602');
is($r->{json}{error}{data}{name}, 'no-such-prompt', 'data.name echoes it');

$r = $s->request('prompts/get', {});
is($r->{json}{error}{code}, -32602, 'missing name: -32602');
like($r->{json}{error}{message}, qr/params\.name/, 'the error names params.name');

$r = $s->request('prompts/list', { cursor => 'x' });
is($r->{json}{error}{code}, -32602, 'prompts/list with a cursor: -32602');

done_testing();
