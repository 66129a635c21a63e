#!/usr/bin/perl
# 12-protocol-tools-pages.t: tools/list is paginated (mcp_tools_page_size,
# default 50) with opaque cursors; a cursor not issued by us is -32602.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use JSON::PP;
use Cwd qw(getcwd);
use IdP;
use MCPTest;

my $root = $ENV{MCP_ROOT} // getcwd();
my @catalog;
for my $file (sort glob "$root/shared/catalog/tools/*.json") {
    open my $fh, '<', $file or die "$file: $!";
    local $/;
    push @catalog, map { $_->{name} } @{ decode_json(<$fh>) };
}

# the stack's endpoint: pages of 50 (the default)
my $s = mcp_session();
$s->initialize('2025-11-25');
my $r = $s->request('tools/list', {});
my $first = $r->{json}{result}{tools};
is(scalar @$first, @catalog < 50 ? scalar @catalog : 50,
   'default page size: 50 tools (or the whole catalog)');
is(defined $r->{json}{result}{nextCursor} ? 1 : 0, @catalog > 50 ? 1 : 0,
   'nextCursor iff the catalog has more than 50 tools');
my @order = map { $_->{name} } @{ $s->list_tools };
is_deeply([ sort @order ], [ sort @catalog ],
          'following the cursors lists every catalog tool once');

# a private nginx with 4 tools per page, sharing the stack's Redis
my $port = ($ENV{MCP_NGINX_PORT} // 18080) + 11;
my $dir  = ($ENV{MCP_VAR} // getcwd() . '/var/test') . '/t12-pages';
IdP::nginx_start($dir, $port, <<"CONF");
    mcp_redis 127.0.0.1:$ENV{MCP_REDIS_PORT};
    mcp_catalog $root/shared/catalog/tools;
    mcp_tools_page_size 4;
    server {
        listen 127.0.0.1:$port;
        location = /mcp { mcp_endpoint; mcp_auth off; }
    }
CONF
END { IdP::nginx_stop($dir) if $dir }

my $p = mcp_session(url => "http://127.0.0.1:$port/mcp");
is($p->initialize('2025-11-25')->{status}, 200, 'initialize (page size 4)');

my (@names, @cursors, $cursor);
my $pages = 0;
do {
    $r = $p->request('tools/list', defined $cursor ? { cursor => $cursor } : {});
    my $tools = $r->{json}{result}{tools};
    $pages++;
    ok(@$tools >= 1 && @$tools <= 4, "page $pages holds 1..4 tools");
    push @names, map { $_->{name} } @$tools;
    $cursor = $r->{json}{result}{nextCursor};
    push @cursors, $cursor if defined $cursor;
} while (defined $cursor && $pages < 100);

is($pages, int((@catalog + 3) / 4), 'ceil(tools / 4) pages');
is_deeply(\@names, \@order, 'pages concatenated = the single-page list, in order');
unlike(join(',', @cursors), qr/^\d+$|,\d+,/, 'cursors are not bare numbers');

# a cursor from page 2 gives the same page again (stateless)
$r = $p->request('tools/list', { cursor => $cursors[0] });
is($r->{json}{result}{tools}[0]{name}, $names[4], 'cursor replays its page');

for my $bad ('', 'x', 'dG9vbHM6MA', 'dG9vbHM6OTk5', 'Zm9vOjE', 12,
             'dG9vbHM6LTE') {
    $r = $p->request('tools/list', { cursor => $bad });
    is($r->{json}{error}{code}, -32602,
       'invalid cursor ' . encode_json([$bad]) . ': -32602');
}
like($r->{json}{error}{message}, qr/params\.cursor/, 'message names the cursor');

# a cursor is only valid where it was issued: the stack has fewer pages
$r = $s->request('tools/list', { cursor => $cursors[-1] });
is($r->{json}{error}{code}, -32602, 'a cursor past the last page: -32602');

done_testing();
