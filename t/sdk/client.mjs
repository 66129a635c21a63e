// client.mjs: drives the MCP endpoint with the official TypeScript SDK client
// (Streamable HTTP) and prints what it saw as one JSON object on stdout.
//
// usage: node t/sdk/client.mjs <mcp-url> [device-id]
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const url = new URL(process.argv[2] ?? 'http://127.0.0.1:8080/mcp');
const deviceId = process.argv[3] ?? 'dev-sim-r1';

const client = new Client({ name: 'routeros-mcp-sdk-test', version: '1.0.0' });
const transport = new StreamableHTTPClientTransport(url);

try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    const overview = await client.callTool(
        { name: 'get_system_overview', arguments: { device_id: deviceId } },
        undefined, { timeout: 30000 });
    const out = {
        server: client.getServerVersion(),
        protocolVersion: transport.protocolVersion ?? null,
        sessionId: transport.sessionId ?? null,
        tools: tools.map((t) => t.name),
        overview,
    };
    await client.close();
    process.stdout.write(JSON.stringify(out) + '\n');
} catch (err) {
    process.stderr.write(`sdk client: ${err?.stack ?? err}\n`);
    await client.close().catch(() => {});
    process.exit(1);
}
