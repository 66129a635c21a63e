#!/usr/bin/perl
# 20-agent-cli.t: routeros-mcp-admin migrate and device add|list|remove|test
# on a scratch database of the stack's PostgreSQL; credentials are stored
# encrypted; the agent refuses an outdated schema and a catalog/handler
# mismatch.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use File::Temp qw(tempdir);
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};
my $build = $ENV{BUILD} // 'build';
my $admin = "$build/routeros-mcp-admin";
my $agent = "$build/routeros-mcp-agent";
plan skip_all => "$admin not built" unless -x $admin && -x $agent;

my $db = "routeros_mcp_t20_$$";
psql("CREATE DATABASE $db");
my $conninfo = "host=$ENV{MCP_PG_SOCKET_DIR} port=$ENV{MCP_PG_PORT} "
  . "dbname=$db user=postgres";
local $ENV{ROUTEROS_MCP_DATABASE_URL} = $conninfo;
local $ENV{ROUTEROS_MCP_AGENT_ID} = "t20-$$";
local $ENV{MCP_PG_DATABASE} = $db;
my $password = "t20-secret-" . int(rand(1e9));
local $ENV{T20_PASSWORD} = $password;


# The newest migration is the version this build needs.
my @migrations = sort glob(($ENV{MCP_ROOT} // '.')
                           . '/migrations/[0-9][0-9][0-9][0-9]_*.sql');
my ($latest) = map { /(\d{4})_[^\/]*$/ ? $1 + 0 : () } $migrations[-1];
my $nmig = scalar @migrations;

my ($rc, $out) = run_cmd($agent);
isnt($rc, 0, 'the agent refuses to start on an empty database');
like($out, qr/database schema is at version 0, this agent needs $latest: run routeros-mcp-admin migrate/,
     'and says which version it needs and what to run');

($rc, $out) = run_cmd($admin, 'migrate');
is($rc, 0, 'migrate succeeds') or diag $out;
like($out, qr/schema at version $latest \($nmig migrations? applied now\)/,
     "migrate applies all $nmig migrations");
($rc, $out) = run_cmd($admin, 'migrate');
like($out, qr/schema at version $latest \(0 migrations applied now\)/,
     'a second migrate applies nothing');
is(psql_value("SELECT count(*) FROM schema_migrations"), $nmig,
   'schema_migrations records each migration once');

ok(psql_fails("INSERT INTO devices (id, name, management_ip, "
              . "management_port, environment) VALUES "
              . "('x1', 'x1', '10.0.0.1', 70000, 'lab')"),
   'the schema refuses a port above 65535');
ok(psql_fails("INSERT INTO devices (id, name, management_ip, "
              . "environment) VALUES ('x2', 'x2', '10.0.0.1', 'moon')"),
   'the schema refuses an unknown environment');
ok(psql_fails("INSERT INTO credentials (device_id, credential_type, "
              . "username, secret_ciphertext, nonce) VALUES ('nope', 'rest', "
              . "'a', '\\x00112233445566778899aabbccddeeff', "
              . "'\\x000000000000000000000000')"),
   'a credential needs an existing device');
ok(psql_fails("INSERT INTO plans (id, created_by, tool_name, status, "
              . "content_hash) VALUES ('p1', 'x', 't', 'applied', "
              . "repeat('a', 64))"),
   'a plan status outside the state machine is refused');

($rc, $out) = run_cmd($admin, qw(device add --id dev-t20 --name t20
                  --ip 127.0.0.2 --port), $ENV{SIM_PORT}, qw(--scheme http
                  --environment lab --username admin
                  --password-env T20_PASSWORD --allow-advanced-writes
                  --tag site=ams --tag role=edge));
is($rc, 0, 'device add succeeds') or diag $out;
unlike($out, qr/\Q$password\E/, 'device add does not print the password');

my @row = psql("SELECT name, management_ip, management_port::text, "
               . "rest_scheme, environment, allow_advanced_writes::text, "
               . "allow_professional_workflows::text, tags->>'site', status "
               . "FROM devices WHERE id = 'dev-t20'");
is_deeply(\@row, [[ 't20', '127.0.0.2', $ENV{SIM_PORT}, 'http', 'lab',
                    'true', 'false', 'ams', 'pending' ]],
          'the device row holds what was given');

# (no raw bytes through psql: they may hold a newline or the separator)
my @cred = psql("SELECT credential_type, username, length(nonce)::text, "
                . "(position(convert_to('$password', 'UTF8') in "
                . "secret_ciphertext) = 0)::text, "
                . "encode(secret_ciphertext, 'hex') FROM credentials "
                . "WHERE device_id = 'dev-t20'");
is(scalar @cred, 1, 'one credential row');
is_deeply([ @{ $cred[0] }[0 .. 2] ], [ 'rest', 'admin', '12' ],
          'a REST credential with a 12-byte nonce');
is($cred[0][3], 'true',
   'the password bytes do not occur in the ciphertext column');
my $hexpw = unpack('H*', $password);
unlike($cred[0][4], qr/$hexpw/, 'nor in its hex form');
is(length($cred[0][4]) / 2, length($password) + 16,
   'ciphertext is password length plus the 16-byte GCM tag');
my $dump = join "\n", map { join ',', @$_ }
  psql("SELECT d::text FROM devices d"), psql("SELECT c::text FROM credentials c");
unlike($dump, qr/\Q$password\E/, 'no column of any row holds the password');

($rc, $out) = run_cmd($admin, qw(device list));
like($out, qr/^dev-t20\s+t20\s+http:\/\/127\.0\.0\.2:$ENV{SIM_PORT}\s+lab\s+pending/m,
     'device list shows the device');
($rc, $out) = run_cmd($admin, qw(device list --json));
my $list = json_decode($out);
is($list->[0]{id}, 'dev-t20', 'device list --json gives the id');
is_deeply($list->[0]{tags}, { site => 'ams', role => 'edge' },
          'and the tags');

SKIP: {
    skip 'the stack simulator password is unknown', 4
      unless defined $ENV{SIM_PASSWORD};
    my $id = 'dev-t20b';
    local $ENV{T20_SIM} = $ENV{SIM_PASSWORD};
    run_cmd($admin, qw(device add --id), $id, qw(--name t20b --ip 127.0.0.2
        --port), $ENV{SIM_PORT}, qw(--scheme http --username admin
        --password-env T20_SIM));
    ($rc, $out) = run_cmd($admin, qw(device test), $id);
    is($rc, 0, 'device test reaches the simulator with the decrypted password')
      or diag $out;
    my $version = sim_state('127.0.0.2')->{menus}{'/system/resource'}{version};
    like($out, qr/reachable in \d+ ms, RouterOS \Q$version\E/,
         'and reports the version the simulator holds');
    is(psql_value("SELECT status FROM devices WHERE id = '$id'"), 'healthy',
       'device test records the device as healthy');
    local $ENV{ROUTEROS_MCP_ENCRYPTION_KEY} = 'ab' x 32;
    ($rc, $out) = run_cmd($admin, qw(device test), $id);
    like($out, qr/does not decrypt with ROUTEROS_MCP_ENCRYPTION_KEY/,
         'another key cannot decrypt the credential');
}

($rc, $out) = run_cmd($admin, qw(device add --id dev-t20c --name t20c --ip
                  127.0.0.9 --username admin --password-env NO_SUCH_VAR_T20));
isnt($rc, 0, 'device add fails when the password variable is unset');
($rc, $out) = run_cmd($admin, qw(device add --id dev-t20c --name t20c --ip
                  127.0.0.9 --username admin --password secret));
is($rc, 2, 'a password on the command line is refused (usage)');

($rc, $out) = run_cmd($admin, qw(device remove dev-t20));
is($rc, 0, 'device remove succeeds');
is(psql_value("SELECT count(*) FROM credentials WHERE device_id = 'dev-t20'"),
   0, 'its credential is gone with it');
($rc, $out) = run_cmd($admin, qw(device remove dev-t20));
is($rc, 1, 'removing it again fails');
like($out, qr/no device dev-t20/, 'and says so');

# The catalog is the single source of truth: a tool without a handler
# stops the agent.
my $cat = tempdir(CLEANUP => 1);
system('cp', glob("$ENV{ROUTEROS_MCP_CATALOG}/*.json"), $cat) == 0
  or die "cp: $?";
open(my $fh, '>', "$cat/zz_extra.json") or die $!;
print {$fh} '[{"name":"no_handler_tool","title":"x","description":"x",'
  . '"tier":"none","writes":"no","timeout_ms":1000,"rate_class":"none",'
  . '"inputSchema":{"type":"object","properties":{},'
  . '"additionalProperties":false}}]';
close $fh;
{
    local $ENV{ROUTEROS_MCP_CATALOG} = $cat;
    ($rc, $out) = run_cmd($agent);
    isnt($rc, 0, 'the agent refuses a catalog tool without a handler');
    like($out, qr/catalog tool without handler: no_handler_tool/,
         'and names the tool');
}

psql_value("SELECT 1");
{
    local $ENV{MCP_PG_DATABASE} = 'routeros_mcp';
    psql("DROP DATABASE $db WITH (FORCE)");
}
done_testing();
