package JobTest;
# JobTest.pm: helpers of the job and rollout tests (t/64, t/65): a private
# simulator with N devices on 127.0.<net>.1..N registered with the stack,
# DNS/NTP rollout plans approved through the admin CLI, tool calls in a
# child process, and the simulator's per-device state and request log.
use strict;
use warnings;
use Carp qw(croak);
use Exporter qw(import);
use File::Temp qw(tempfile);
use HTTP::Tiny;
use POSIX ();
use MCPTest;

our @EXPORT = qw(private_sim dev_state dev_fault dev_reset dev_writes
                 rollout_plan approve call_in_background reply_of job_of
                 wait_job);

my $HTTP = HTTP::Tiny->new(timeout => 30);
my (%sim_port, @sims, @registered);

# private_sim($tag, $net, $n, $port_offset) → device ids dev-<tag>-01..N,
# served by a simulator on 127.0.<net>.1..N, port SIM_PORT + offset; the
# devices are (re)registered in the lab environment with professional
# workflows allowed. Stopped and unregistered at exit.
sub private_sim {
    my ($tag, $net, $n, $offset) = @_;
    my $port = $ENV{SIM_PORT} + $offset;
    my $var = $ENV{MCP_VAR};
    my $pidfile = "$var/$tag-sim.pid";
    my @args;
    for my $i (1 .. $n) {
        push @args, '--device', sprintf('%s-%02d=127.0.%d.%d', $tag, $i, $net, $i);
    }
    stop_sim($pidfile);
    my $pid = fork() // croak "fork: $!";
    if ($pid == 0) {
        POSIX::setsid();
        open(STDIN, '<', '/dev/null');
        open(STDOUT, '>>', "$var/$tag-sim.log");
        open(STDERR, '>&', \*STDOUT);
        exec('python3', "$ENV{MCP_ROOT}/t/sim/routeros_sim.py", '--port', $port,
             '--password-env', 'SIM_PASSWORD', @args, '--pidfile', $pidfile)
          or POSIX::_exit(127);
    }
    push @sims, $pidfile;
    my @ids;
    for my $i (1 .. $n) {
        my $ip = "127.0.$net.$i";
        $sim_port{$ip} = $port;
        MCPTest::wait_for(sub { $HTTP->get("http://$ip:$port/__sim/state")->{success} }, 30)
          or croak "simulator $ip:$port did not answer";
        my $id = sprintf('dev-%s-%02d', $tag, $i);
        system("$ENV{BUILD}/routeros-mcp-admin device remove $id >/dev/null 2>&1");
        system("$ENV{BUILD}/routeros-mcp-admin", 'device', 'add', '--id', $id,
               '--name', sprintf('%s-%02d', $tag, $i), '--ip', $ip, '--port', $port,
               '--scheme', 'http', '--environment', 'lab', '--username', 'admin',
               '--password-env', 'SIM_PASSWORD', '--allow-professional-workflows') == 0
          or croak "device add $id failed";
        push @ids, $id;
        push @registered, $id;
    }
    return @ids;
}

sub stop_sim {
    my ($pidfile) = @_;
    open(my $fh, '<', $pidfile) or return;
    my ($pid) = (<$fh> // '') =~ /(\d+)/;
    close $fh;
    unlink $pidfile;
    return unless $pid;
    kill 'TERM', $pid;
    MCPTest::wait_for(sub { !kill(0, $pid) }, 10);
}

END {
    my $rc = $?;
    system("$ENV{BUILD}/routeros-mcp-admin device remove $_ >/dev/null 2>&1")
      for @registered;
    stop_sim($_) for @sims;
    $? = $rc;
}

sub _call {
    my ($method, $ip, $path, $body) = @_;
    my $port = $sim_port{$ip} // croak "no private simulator device $ip";
    my $res = $HTTP->request($method, "http://$ip:$port$path",
        { headers => { 'Content-Type' => 'application/json' },
          (defined $body ? (content => MCPTest::json_encode($body)) : ()) });
    croak "simulator $ip $method $path: $res->{status}" unless $res->{success};
    return length($res->{content} // '') ? MCPTest::json_decode($res->{content}) : undef;
}

sub dev_state { return _call('GET', $_[0], '/__sim/state') }
sub dev_fault { return _call('POST', $_[0], '/__sim/fault', $_[1]) }
sub dev_reset { return _call('POST', $_[0], '/__sim/reset', {}) }

# dev_writes($ip, $path) → how many PATCH/PUT/POST/DELETE requests reached
# the device on $path (e.g. /rest/ip/dns) since its last reset.
sub dev_writes {
    my ($ip, $path) = @_;
    return scalar grep { $_->{method} ne 'GET' && $_->{path} eq $path }
      @{ _call('GET', $ip, '/__sim/requests') };
}

# rollout_plan($session, \@ids, %args) → plan id of a DNS/NTP rollout.
sub rollout_plan {
    my ($s, $ids, %args) = @_;
    my $r = $s->call_tool('config_plan_dns_ntp_rollout',
                          { device_ids => $ids, %args });
    my $id = $r->{result}{structuredContent}{plan_id}
      or croak 'rollout not planned: ' . MCPTest::json_encode($r);
    return $id;
}

sub approve {
    my ($plan) = @_;
    my $tok = `$ENV{BUILD}/routeros-mcp-admin plan approve $plan --approver jobtest 2>/dev/null`;
    chomp $tok;
    croak "plan approve $plan failed" unless $tok;
    return $tok;
}

# call_in_background($tool, \%args, %opt) → (pid, file): the call runs in a
# child process (opt session: that session, else a new 2025-06-18 one; opt
# id: the request id, default 1; opt meta: params._meta; 600 s HTTP
# timeout); the child's response (json + events) is written to file.
sub call_in_background {
    my ($tool, $args, %opt) = @_;
    my ($fh, $file) = tempfile(UNLINK => 1);
    my $pid = fork() // croak "fork: $!";
    if ($pid == 0) {
        my $s = $opt{session};
        if (!$s) {
            $s = mcp_session();
            $s->initialize('2025-06-18');
        }
        $s->{http} = HTTP::Tiny->new(timeout => 600);
        my $r = eval {
            $s->post({ jsonrpc => '2.0', id => $opt{id} // 1,
                       method => 'tools/call',
                       params => { name => $tool, arguments => $args,
                                   ($opt{meta} ? (_meta => $opt{meta}) : ()) } });
        } // { died => "$@" };
        open(my $out, '>', $file) or POSIX::_exit(1);
        print {$out} MCPTest::json_encode({ json => $r->{json},
                                           events => $r->{events} });
        close $out;
        POSIX::_exit(0);
    }
    return ($pid, $file);
}

# reply_of($pid, $file, $timeout) → {json, events} once the child ended
# (undef when it did not within timeout seconds).
sub reply_of {
    my ($pid, $file, $timeout) = @_;
    MCPTest::wait_for(sub { waitpid($pid, POSIX::WNOHANG()) == $pid }, $timeout // 300)
      or do { kill 'KILL', $pid; waitpid($pid, 0); return undef };
    open(my $fh, '<', $file) or return undef;
    local $/;
    my $text = <$fh>;
    return length($text // '') ? MCPTest::json_decode($text) : undef;
}

# job_of($plan) → the id of the plan's job (undef before it exists).
sub job_of {
    my ($plan) = @_;
    my $v = psql_value("SELECT id FROM jobs WHERE plan_id = '$plan'");
    return defined $v && length $v ? $v : undef;
}

# wait_job($job, $cond_sql, $timeout) → 1 when the SQL condition over the
# job's row (alias j) and its devices (job_devices d) holds in time.
sub wait_job {
    my ($job, $cond, $timeout) = @_;
    return MCPTest::wait_for(sub {
        psql_value("SELECT count(*) FROM jobs j WHERE j.id = '$job' AND ($cond)");
    }, $timeout // 120);
}

1;
