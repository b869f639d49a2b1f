// The official TypeScript MCP client (@modelcontextprotocol/sdk) against one endpoint, as a user would write it:
//   MCP_BEARER=<api key or access token> node typescript-client.mjs <endpoint url> <node_modules folder>
// The credential comes from the environment, not argv: argv is visible to every local user in the process list.
// It lists the tools, calls echo, runs trigger-long-running-operation with a progress callback, reads a resource and
// prints ONE line of JSON with what it saw (the Java test asserts on it); any failure exits with code 1.
import path from "node:path";
import { pathToFileURL } from "node:url";

const [endpoint, nodeModules] = process.argv.slice(2);
if (!endpoint || !nodeModules || !process.env.MCP_BEARER) {
    console.error("usage: MCP_BEARER=<credential> node typescript-client.mjs <endpoint url> <node_modules>");
    process.exit(2);
}

// The SDK lives in the test servers' node_modules (server-everything depends on it), not next to this script:
// imported by the file URL of its ESM build, the way its package.json "exports" map "./*" for "import".
const sdk = path.join(nodeModules, "@modelcontextprotocol", "sdk");
const load = (file) => import(pathToFileURL(path.join(sdk, "dist", "esm", file)).href);
const { Client } = await load("client/index.js");
const { StreamableHTTPClientTransport } = await load("client/streamableHttp.js");
const { version: sdkVersion } = (await import(pathToFileURL(path.join(sdk, "package.json")).href,
                                              { with: { type: "json" } })).default;

const transport = new StreamableHTTPClientTransport(new URL(endpoint), {
    requestInit: { headers: { Authorization: `Bearer ${process.env.MCP_BEARER}` } },
});
const client = new Client({ name: "platform-typescript-test", version: "1.0.0" });

try {
    await client.connect(transport);
    const server = client.getServerVersion();

    const tools = (await client.listTools()).tools.map((tool) => tool.name);

    const echoed = await client.callTool({ name: "echo", arguments: { message: "from typescript" } });

    const progress = [];
    const longRun = await client.callTool(
        { name: "trigger-long-running-operation", arguments: { duration: 1, steps: 3 } },
        undefined,
        { onprogress: (p) => progress.push({ progress: p.progress, total: p.total }) },
    );

    const resource = await client.readResource({ uri: "demo://resource/dynamic/text/1" });

    console.log(JSON.stringify({
        sdkVersion,
        protocolVersion: transport.protocolVersion ?? null,
        sessionId: transport.sessionId ? "present" : null,
        server: server ? { name: server.name, version: server.version } : null,
        tools,
        echo: echoed.content?.[0]?.text ?? null,
        echoIsError: echoed.isError === true,
        longRun: longRun.content?.[0]?.text ?? null,
        progressCount: progress.length,
        progress,
        resourceText: resource.contents?.[0]?.text ?? null,
    }));
    await client.close();
    process.exit(0);
} catch (error) {
    console.error(`typescript client failed: ${error?.stack ?? error}`);
    process.exit(1);
}
