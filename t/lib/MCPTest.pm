package MCPTest;
# MCPTest: helpers shared by the tests that run against a stack started by
# t/stack/stack.sh (MCP sessions over HTTP, simulator control, Redis, psql).
#
#   eval "$(t/stack/stack.sh env test)"; prove -r t/
#
#   my $s = mcp_session();            # keeps the Mcp-Session-Id it is given
#   my $r = $s->initialize('2025-11-25');   # {status, headers, body, json}
#   my $res = $s->call_tool('echo', {message => 'hi'});   # JSON-RPC response
#   my $x = $s->post({jsonrpc => '2.0', id => 7, method => 'ping'},
#                    'Accept' => 'application/json');
#   raw_post(body => '{', headers => {'Content-Type' => 'text/plain'});
#   sim_state('127.0.0.2'); sim_fault('127.0.0.2', {mode => 'down'});
#   redis_cmd('XLEN', 'mcp:jobs'); psql('SELECT id, name FROM devices');
#   wait_for(sub { ... }, 10);
#   my ($sock, $status, $head, $body) = sse_get('Mcp-Session-Id' => $sid,
#       Accept => 'text/event-stream');  # a GET stream on the stack
#   $body = sse_read($sock, $body, qr/updated/);   # reads until it matches
use strict;
use warnings;
use Exporter 'import';
use HTTP::Tiny;
use IO::Select;
use IO::Socket::INET;
use JSON::PP;
use Time::HiRes qw(sleep time);
use Carp qw(croak);
use POSIX ();

our @EXPORT = qw(mcp_session raw_post mcp_url sim_state sim_fault sim_reset
  sim_requests sim_url redis_cmd psql psql_value psql_fails wait_for
  stack_cmd run_cmd tool_payload json_encode json_decode sse_get sse_read);

my $JSON = JSON::PP->new->canonical->allow_nonref;

sub json_encode { return $JSON->encode($_[0]) }
sub json_decode { return $JSON->decode($_[0]) }

sub _env {
    my ($name) = @_;
    my $v = $ENV{$name};
    croak "MCPTest: \$$name is not set; run eval \"\$(t/stack/stack.sh env test)\""
      unless defined $v && length $v;
    return $v;
}

sub mcp_url { return $ENV{MCP_URL} // _env('MCP_URL') }

# --- HTTP --------------------------------------------------------------------

# Decodes a JSON body, or for text/event-stream the JSON-RPC response among
# the events (the last message carrying an id, else the last message).
# Returns (json, [all event messages]).
sub _decode_body {
    my ($ctype, $body) = @_;
    return (undef, []) unless defined $body && length $body;
    if (($ctype // '') =~ m{text/event-stream}i) {
        my (@msgs, @data);
        for my $line (split /\r?\n/, $body . "\n\n", -1) {
            if ($line eq '') {
                if (@data) {
                    my $m = eval { $JSON->decode(join "\n", @data) };
                    push @msgs, $m if defined $m;
                }
                @data = ();
            } elsif ($line =~ /^data: ?(.*)$/) {
                push @data, $1;
            }
        }
        my ($resp) = grep { ref $_ eq 'HASH' && exists $_->{id}
                              && (exists $_->{result} || exists $_->{error}) }
                     reverse @msgs;
        return ($resp // $msgs[-1], \@msgs);
    }
    my $j = eval { $JSON->decode($body) };
    return ($j, []);
}

sub _response {
    my ($res) = @_;
    my ($json, $events) = _decode_body($res->{headers}{'content-type'},
                                       $res->{content});
    return { status  => $res->{status},
             reason  => $res->{reason},
             headers => $res->{headers},
             body    => $res->{content} // '',
             json    => $json,
             events  => $events };
}

my $HTTP;
sub _http {
    $HTTP //= HTTP::Tiny->new(keep_alive => 1, timeout => 60,
                              agent => 'routeros-mcp-tests/1');
    return $HTTP;
}

# raw_post(url =>, body =>, headers => {}, method => 'POST'):
# no default headers at all unless given, for the error-path tests.
sub raw_post {
    my (%o) = @_;
    my $body = $o{body} // '';
    $body = $JSON->encode($body) if ref $body;
    my $http = $o{http} // _http();
    my $res = $http->request($o{method} // 'POST', $o{url} // mcp_url(),
                             { headers => $o{headers} // {},
                               (length $body ? (content => $body) : ()) });
    return _response($res);
}

# --- sessions ------------------------------------------------------------------

package MCPTest::Session;
use Carp qw(croak);

sub new {
    my ($class, %o) = @_;
    return bless { url => $o{url} // MCPTest::mcp_url(),
                   http => HTTP::Tiny->new(keep_alive => 1, timeout => 60,
                                           agent => 'routeros-mcp-tests/1'),
                   next_id => 1, session_id => undef,
                   protocol_version => undef }, $class;
}

sub session_id { return $_[0]{session_id} }
sub protocol_version { return $_[0]{protocol_version} }
sub next_id { return $_[0]{next_id}++ }
sub url { return $_[0]{url} }

# Headers every request carries; %extra overrides (undef value = leave out).
sub _headers {
    my ($self, %extra) = @_;
    my %h = ('Content-Type' => 'application/json',
             'Accept' => 'application/json, text/event-stream');
    $h{'Mcp-Session-Id'} = $self->{session_id} if defined $self->{session_id};
    $h{'MCP-Protocol-Version'} = $self->{protocol_version}
      if defined $self->{protocol_version};
    for my $k (keys %extra) {
        my ($have) = grep { lc $_ eq lc $k } keys %h;
        delete $h{$have} if defined $have;
        $h{$k} = $extra{$k} if defined $extra{$k};
    }
    return \%h;
}

# post($json_text_or_ref, %headers) → {status, headers, body, json, events}
sub post {
    my ($self, $msg, %headers) = @_;
    my $body = ref $msg ? MCPTest::json_encode($msg) : $msg;
    my $res = $self->{http}->request('POST', $self->{url},
        { headers => $self->_headers(%headers), content => $body });
    return MCPTest::_response($res);
}

# request($method, \%params, %headers) → response hash of post()
sub request {
    my ($self, $method, $params, %headers) = @_;
    return $self->post({ jsonrpc => '2.0', id => $self->next_id,
                         method => $method,
                         (defined $params ? (params => $params) : ()) },
                       %headers);
}

# notify($method, \%params) → response hash (a 202 is expected)
sub notify {
    my ($self, $method, $params) = @_;
    return $self->post({ jsonrpc => '2.0', method => $method,
                         (defined $params ? (params => $params) : ()) });
}

# initialize($version): initialize + notifications/initialized; keeps the
# session id and negotiated version for later requests. Returns the
# initialize response hash.
sub initialize {
    my ($self, $version) = @_;
    $version //= '2025-11-25';
    my $r = $self->post({ jsonrpc => '2.0', id => $self->next_id,
        method => 'initialize',
        params => { protocolVersion => $version, capabilities => {},
                    clientInfo => { name => 'mcptest', version => '1' } } });
    if ($r->{status} == 200 && $r->{json} && $r->{json}{result}) {
        $self->{session_id} = $r->{headers}{'mcp-session-id'};
        $self->{protocol_version} = $r->{json}{result}{protocolVersion};
        my $n = $self->notify('notifications/initialized');
        $r->{initialized_status} = $n->{status};
    }
    return $r;
}

# call_tool($name, \%args, %headers) → the parsed JSON-RPC response
sub call_tool {
    my ($self, $name, $args, %headers) = @_;
    my $r = $self->request('tools/call',
                           { name => $name, arguments => $args // {} },
                           %headers);
    croak "tools/call $name: HTTP $r->{status}: $r->{body}"
      unless defined $r->{json};
    return $r->{json};
}

# list_tools() → arrayref of tool objects (follows nextCursor)
sub list_tools {
    my ($self) = @_;
    my (@tools, $cursor);
    do {
        my $r = $self->request('tools/list',
                               defined $cursor ? { cursor => $cursor } : {});
        croak "tools/list: HTTP $r->{status}: $r->{body}"
          unless $r->{json} && $r->{json}{result};
        push @tools, @{ $r->{json}{result}{tools} };
        $cursor = $r->{json}{result}{nextCursor};
    } while (defined $cursor);
    return \@tools;
}

sub terminate {
    my ($self) = @_;
    my $res = $self->{http}->request('DELETE', $self->{url},
                                     { headers => $self->_headers });
    return MCPTest::_response($res);
}

package MCPTest;

sub mcp_session { return MCPTest::Session->new(@_) }

# tool_payload($jsonrpc_response): the tool's structured result
# (structuredContent, else the first text content parsed as JSON, else text).
sub tool_payload {
    my ($resp) = @_;
    my $res = $resp->{result} or return undef;
    return $res->{structuredContent} if defined $res->{structuredContent};
    my ($text) = map { $_->{text} } grep { $_->{type} eq 'text' }
                 @{ $res->{content} // [] };
    return undef unless defined $text;
    my $j = eval { $JSON->decode($text) };
    return defined $j ? $j : $text;
}

# --- simulator -------------------------------------------------------------------

sub sim_url {
    my ($ip, $path) = @_;
    return "http://$ip:" . _env('SIM_PORT') . $path;
}

sub _sim {
    my ($method, $ip, $path, $body) = @_;
    my $res = _http()->request($method, sim_url($ip, $path),
        { headers => { 'Content-Type' => 'application/json' },
          (defined $body ? (content => $JSON->encode($body)) : ()) });
    croak "simulator $ip $method $path: $res->{status} $res->{content}"
      unless $res->{success};
    return length($res->{content} // '') ? $JSON->decode($res->{content}) : undef;
}

sub sim_state    { return _sim('GET', $_[0], '/__sim/state') }
sub sim_fault    { return _sim('POST', $_[0], '/__sim/fault', $_[1]) }
sub sim_reset    { return _sim('POST', $_[0], '/__sim/reset', {}) }
sub sim_requests { return _sim('GET', $_[0], '/__sim/requests') }

# --- Redis (RESP over a fresh connection per command) ------------------------------

sub _resp_read {
    my ($sock) = @_;
    my $line = <$sock>;
    croak "redis: connection closed" unless defined $line;
    $line =~ s/\r\n\z//;
    my ($t, $v) = (substr($line, 0, 1), substr($line, 1));
    return $v if $t eq '+' || $t eq ':';
    croak "redis: $v" if $t eq '-';
    if ($t eq '$') {
        return undef if $v < 0;
        my $buf = '';
        while (length $buf < $v + 2) {
            my $n = read($sock, $buf, $v + 2 - length $buf, length $buf);
            croak "redis: short read" unless $n;
        }
        return substr($buf, 0, $v);
    }
    if ($t eq '*') {
        return undef if $v < 0;
        return [ map { _resp_read($sock) } 1 .. $v ];
    }
    croak "redis: unexpected reply '$line'";
}

# --- GET streams ---------------------------------------------------------------

# sse_get(%headers) → (socket, status, head, first bytes of the body) of a
# GET to the stack's MCP endpoint, read up to the end of the head.
sub sse_get {
    my (%h) = @_;
    my ($host) = mcp_url() =~ m{^http://([^/]+)};
    my $sock = IO::Socket::INET->new(PeerAddr => $host, Timeout => 10)
      or croak "connect $host: $!";
    my $head = join '', map { "$_: $h{$_}\r\n" } sort keys %h;
    print $sock "GET /mcp HTTP/1.1\r\nHost: $host\r\n$head\r\n";
    my $buf = sse_read($sock, '', qr/\r\n\r\n/);
    my ($status) = $buf =~ m{^HTTP/1\.1 (\d+)};
    my ($hdr, $body) = split /\r\n\r\n/, $buf, 2;
    return ($sock, $status // 0, $hdr // '', $body // '');
}

# sse_read($sock, $have, $re) → $have plus what arrived until it matches $re
# (or 10 s pass without data, or the stream ends).
sub sse_read {
    my ($sock, $have, $re) = @_;
    my $sel = IO::Select->new($sock);
    while ($have !~ $re && $sel->can_read(10)) {
        sysread($sock, $have, 4096, length $have) or last;
    }
    return $have;
}

# redis_cmd(@args) → scalar, arrayref (nested for arrays), or undef for nil;
# dies on an error reply or when Redis is unreachable.
sub redis_cmd {
    my @args = @_;
    my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                     PeerPort => _env('MCP_REDIS_PORT'),
                                     Timeout => 5)
      or croak "redis: cannot connect: $!";
    binmode $sock;
    my $req = '*' . scalar(@args) . "\r\n";
    for my $a (@args) {
        my $b = $a;
        utf8::encode($b) if utf8::is_utf8($b);
        $req .= '$' . length($b) . "\r\n$b\r\n";
    }
    print {$sock} $req;
    my $reply = _resp_read($sock);
    close $sock;
    return $reply;
}

# --- PostgreSQL ----------------------------------------------------------------------

# psql($sql) → list of rows, each an arrayref of column strings (NULL = '').
sub psql {
    my ($sql) = @_;
    # Rows end with NUL (values may hold newlines), fields are split by US.
    my @cmd = ('psql', '-X', '-q', '-At', '-0', '-v', 'ON_ERROR_STOP=1',
               '-F', "\x1f", '-h', _env('MCP_PG_SOCKET_DIR'),
               '-p', _env('MCP_PG_PORT'), '-U', 'postgres',
               '-d', $ENV{MCP_PG_DATABASE} // 'routeros_mcp', '-c', $sql);
    open(my $fh, '-|', @cmd) or croak "psql: $!";
    binmode $fh, ':encoding(UTF-8)';
    my $out = do { local $/; <$fh> } // '';
    close $fh or croak "psql failed (exit " . ($? >> 8) . ") for: $sql";
    return () unless length $out;
    $out =~ s/\0\z//;
    return map { my @f = split /\x1f/, $_, -1; @f ? \@f : [ '' ] }
           length $out ? split(/\0/, $out, -1) : ('');
}

# psql_value($sql) → first column of the first row, or undef
sub psql_value {
    my @rows = psql(@_);
    return @rows ? $rows[0][0] : undef;
}

# psql_fails($sql): true when the statement is refused (psql's message is
# silenced), for schema constraints.
sub psql_fails {
    my ($sql) = @_;
    open(my $saved, '>&', \*STDERR) or croak $!;
    open(STDERR, '>', '/dev/null') or croak $!;
    my $ok = eval { psql($sql); 1 };
    open(STDERR, '>&', $saved) or croak $!;
    return !$ok;
}

# --- misc ----------------------------------------------------------------------------

# run_cmd(@cmd) → (exit status, stdout and stderr together) of a program
# (the admin CLI, the agent) run without a shell.
sub run_cmd {
    my @cmd = @_;
    my $pid = open(my $fh, '-|') // croak "fork: $!";
    if ($pid == 0) {
        open(STDERR, '>&', \*STDOUT);
        exec(@cmd) or POSIX::_exit(127);
    }
    local $/;
    my $out = <$fh> // '';
    close $fh;
    return ($? >> 8, $out);
}

# wait_for(sub, timeout_seconds = 10): polls every 0.1 s until the sub returns
# true; returns that value, or undef on timeout. A bounded wait, never an
# assertion about speed.
sub wait_for {
    my ($cond, $timeout) = @_;
    my $end = time + ($timeout // 10);
    while (1) {
        my $v = eval { $cond->() };
        return $v if $v;
        return undef if time > $end;
        sleep 0.1;
    }
}

# stack_cmd($subcommand): runs t/stack/stack.sh <subcommand> <profile> for
# resilience tests (stop-redis, start-redis, kill9-agent, start-agent…).
sub stack_cmd {
    my ($sub) = @_;
    my $root = $ENV{MCP_ROOT} // '.';
    my $rc = system("$root/t/stack/stack.sh", $sub, _env('MCP_PROFILE'));
    croak "stack.sh $sub failed" if $rc != 0;
    return 1;
}

1;
