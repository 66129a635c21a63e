#!/usr/bin/perl
# 10-protocol-tiers.t: with bearer tokens on, tools/list shows and tools/call
# allows only tools within the tier the token's scopes grant.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use JSON::PP;
use Cwd qw(getcwd);
use IdP;
use MCPTest;

# a private nginx beside the stack's, sharing its Redis
my $port = ($ENV{MCP_NGINX_PORT} // 18080) + 7;
my $dir  = ($ENV{MCP_VAR} // getcwd() . '/var/test') . '/t10-tiers';
my $root = $ENV{MCP_ROOT} // getcwd();
my $idp  = IdP->new("$dir/idp");
my $aud  = "http://127.0.0.1:$port/mcp";
my $iss  = 'https://idp.test';
$idp->write_jwks("$dir/idp/jwks.json");

IdP::nginx_start($dir, $port, <<"CONF", 2);
    mcp_redis 127.0.0.1:$ENV{MCP_REDIS_PORT};
    mcp_catalog $root/shared/catalog/tools;
    server {
        listen 127.0.0.1:$port;
        mcp_auth_audience $aud;
        mcp_auth_issuer $iss;
        mcp_auth_jwks_file $dir/idp/jwks.json;
        location = /mcp {
            mcp_endpoint;
            mcp_auth jwt;
        }
    }
CONF
END { IdP::nginx_stop($dir) if $dir }

my $catalog = [];
for my $file (glob "$root/shared/catalog/tools/*.json") {
    open my $fh, '<', $file or die "$file: $!";
    local $/;
    push @$catalog, @{ decode_json(<$fh>) };
}
my %tier = map { $_->{name} => $_->{tier} } @$catalog;

sub session_for {
    my ($scope) = @_;
    my $token = $idp->token(kid => 'rsa1',
                            claims => { iss => $iss, aud => $aud,
                                        sub => "user-$scope",
                                        scope => $scope,
                                        exp => time + 300 });
    my $s = mcp_session(url => $aud);
    $s->{http} = HTTP::Tiny->new(default_headers =>
                                 { Authorization => "Bearer $token" });
    is($s->initialize('2025-11-25')->{status}, 200, "initialize with $scope");
    return $s;
}

my $reader = session_for('mcp:read');
my @shown = map { $_->{name} } @{ $reader->list_tools };
my @expected = sort grep { $tier{$_} eq 'none' || $tier{$_} eq 'fundamental' }
               keys %tier;
is_deeply([sort @shown], \@expected,
          'mcp:read sees exactly the none and fundamental tools');

my ($advanced) = sort grep { $tier{$_} eq 'advanced' } keys %tier;
SKIP: {
    skip 'no advanced tool in the catalog', 4 unless $advanced;
    my $r = $reader->post({ jsonrpc => '2.0', id => 1, method => 'tools/call',
                            params => { name => $advanced,
                                        arguments => {} } });
    is($r->{status}, 200, "mcp:read calling $advanced: 200");
    is($r->{json}{error}{code}, -32006, "mcp:read calling $advanced: -32006");
    is_deeply($r->{json}{error}{data},
              { tool => $advanced, tier => 'advanced',
                allowed => 'fundamental' },
              'the error names the tool, its tier and the allowed tier');

    my $writer = session_for('mcp:write');
    my %w = map { $_->{name} => 1 } @{ $writer->list_tools };
    ok($w{$advanced}, "mcp:write sees $advanced");
}

my $res = $reader->call_tool('echo', { message => 'tiered' });
is($res->{result}{content}[0]{text}, 'Echo: tiered',
   'a none-tier tool still runs for mcp:read');

done_testing();
