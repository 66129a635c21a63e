#!/usr/bin/perl
# 43-auth-introspect.t: RFC 7662 introspection through an in-memory
# subrequest with client credentials; answers cached across workers.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use JSON::PP;
use MIME::Base64 qw(encode_base64);
use Cwd qw(getcwd);
use IdP;

my $port = $ENV{MCP_AUTH_PORT} // 18085;
my $as_port = $port + 2;
my $dir  = getcwd() . "/var/t43-auth-introspect";
my $aud  = "http://127.0.0.1:$port/mcp";
my $basic = encode_base64('mcp-server:s3cret', '');
my $now = time;
IdP->new("$dir/idp");
open(my $ok, '>', "$dir/ok.txt") or die;
print $ok "ok\n";
close $ok;

my %answers = (
    'opaque-alice'   => { active => JSON::PP::true, sub => 'alice', scope => 'mcp:write',
                          aud => [$aud], exp => $now + 3600 },
    'opaque+/=odd'   => { active => JSON::PP::true, sub => 'odd', scope => 'mcp:read',
                          aud => $aud, exp => $now + 3600 },
    'opaque-other'   => { active => JSON::PP::true, sub => 'eve', scope => 'mcp:admin',
                          aud => 'http://elsewhere/mcp', exp => $now + 3600 },
    'opaque-expired' => { active => JSON::PP::true, sub => 'old', scope => 'mcp:read',
                          aud => $aud, exp => $now - 600 },
    'opaque-noscope' => { active => JSON::PP::true, sub => 'bob', scope => 'email',
                          aud => $aud, exp => $now + 3600 },
);
my $as = IdP::introspection_server($as_port, \%answers, $basic, "$dir/idp/as.log");

IdP::nginx_start($dir, $port, <<"CONF", 2);
    log_format pid '\$pid';
    server {
        listen 127.0.0.1:$port reuseport;
        access_log $dir/logs/pid.log pid;
        mcp_auth_audience $aud;
        mcp_auth_introspect_uri /_introspect;
        mcp_auth_cache_zone mcp_tokens:1m;
        location = /mcp {
            mcp_auth introspect;
            default_type text/plain;
            alias $dir/ok.txt;
        }
        location = /_introspect {
            internal;
            proxy_set_header Authorization "Basic $basic";
            proxy_pass http://127.0.0.1:$as_port/introspect;
        }
    }
CONF
END { IdP::nginx_stop($dir) if $dir; kill 'TERM', $as if $as }

sub hit {
    my ($t) = @_;
    return HTTP::Tiny->new(timeout => 5, keep_alive => 0)
        ->get("http://127.0.0.1:$port/mcp", { headers => { Authorization => "Bearer $t" } });
}

sub as_hits {
    my ($token) = @_;
    open(my $fh, '<', "$dir/idp/as.log") or return 0;
    return scalar grep { /^\Q$token\E auth=/ } <$fh>;
}

sub workers_seen {
    open(my $pl, '<', "$dir/logs/pid.log") or return 0;
    my %pids = map { chomp; $_ => 1 } <$pl>;
    return scalar keys %pids;
}

is(hit('opaque-alice')->{status}, 200, 'an active token for this resource is accepted');
# reuseport spreads connections over the workers; go on until both served
my ($calls, $accepted) = (1, 1);
while (workers_seen() < 2 && $calls < 40) {
    $calls++;
    $accepted++ if hit('opaque-alice')->{status} == 200;
}
is(workers_seen(), 2, 'both workers served the token');
is($accepted, $calls, "all $calls calls accepted");
is(as_hits('opaque-alice'), 1, 'the answer is cached: one introspection for all calls over two workers');

is(hit('opaque+/=odd')->{status}, 200, 'a token with reserved characters is form-encoded');
is(as_hits('opaque+/=odd'), 1, 'and reaches the server intact');

my $r = hit('opaque-unknown');
is($r->{status}, 401, 'active:false: 401');
like($r->{headers}{'www-authenticate'}, qr/error="invalid_token"/, 'active:false: invalid_token');
is(hit('opaque-other')->{status}, 401, 'a token for another audience: 401');
is(hit('opaque-expired')->{status}, 401, 'an expired token: 401');
is(hit('opaque-noscope')->{status}, 403, 'no mcp scope: 403');

open(my $fh, '<', "$dir/idp/as.log") or die;
my @lines = <$fh>;
is(scalar(grep { !/ auth=Basic \Q$basic\E$/ } @lines), 0,
   'every introspection carried the client credentials, never the bearer token header');

done_testing();
