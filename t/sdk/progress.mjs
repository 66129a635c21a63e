// progress.mjs: one official TypeScript SDK client (v1 @modelcontextprotocol/sdk
// or v2 @modelcontextprotocol/client) connects over Streamable HTTP (v1-sse:
// v1 over the 2024-11-05 HTTP+SSE transport, the URL is the SSE endpoint) and
// calls ping with a progress handler; prints what arrived, in order, as one
// JSON object on stdout.
//
// usage: node t/sdk/progress.mjs v1|v1-sse|v2 <url> <device-id> <target>
const [sdk, url, deviceId, target] = process.argv.slice(2);

let Client, StreamableHTTPClientTransport, client, callTool, transport;
if (sdk === 'v2') {
    ({ Client, StreamableHTTPClientTransport } =
        await import('@modelcontextprotocol/client'));
    client = new Client({ name: 'routeros-mcp-sdk-v2', version: '1.0.0' },
                        { versionNegotiation: { mode: 'auto' } });
    callTool = (params, options) => client.callTool(params, options);
} else {
    ({ Client } = await import('@modelcontextprotocol/sdk/client/index.js'));
    ({ StreamableHTTPClientTransport } =
        await import('@modelcontextprotocol/sdk/client/streamableHttp.js'));
    client = new Client({ name: 'routeros-mcp-sdk-v1', version: '1.0.0' });
    callTool = (params, options) => client.callTool(params, undefined, options);
}
if (sdk === 'v1-sse') {
    const { SSEClientTransport } =
        await import('@modelcontextprotocol/sdk/client/sse.js');
    transport = new SSEClientTransport(new URL(url));
} else {
    transport = new StreamableHTTPClientTransport(new URL(url));
}
const seen = [];

try {
    await client.connect(transport);
    const result = await callTool(
        { name: 'ping', arguments: { device_id: deviceId, target, count: 3 } },
        { onprogress: (p) => seen.push({ progress: p.progress, total: p.total,
                                          message: p.message ?? null }),
          timeout: 60000, resetTimeoutOnProgress: true });
    seen.push({ result });
    const out = {
        sdk,
        server: client.getServerVersion(),
        // SSEClientTransport keeps the negotiated version privately
        protocolVersion: transport.protocolVersion ?? transport._protocolVersion
            ?? null,
        events: seen,
    };
    await client.close();
    process.stdout.write(JSON.stringify(out) + '\n');
} catch (err) {
    process.stderr.write(`sdk ${sdk}: ${err?.stack ?? err}\n`);
    await client.close().catch(() => {});
    process.exit(1);
}
