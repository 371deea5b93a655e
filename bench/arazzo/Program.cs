using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;
using ChatOpsMfa.Okta.Sandbox;

// Usage: bench/arazzo/run.sh [iterations=50]. Prints median and p95 (ms) of: validating the seed (with Okta's
// OpenAPI description), running the seed (reset + enrol) against the local Okta sandbox over loopback HTTP, and
// validating a generated document of 200 steps (cold, then warm).
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
var repo = args.Length > 1 ? args[1] : FindRepository();
var okta = Path.Combine(repo, "src", "ChatOpsMfa", "Okta");
var seed = Path.Combine(okta, "workflows", "okta-reset-and-reenroll-factor.arazzo.yaml");
var seedOptions = new ArazzoLoadOptions { SourceRoot = okta };

var big = Directory.CreateTempSubdirectory("arazzo-bench-").FullName;
File.WriteAllText(Path.Combine(big, "pets.openapi.yaml"), File.ReadAllText(Path.Combine(repo, "tests", "ChatOpsMfa.Arazzo.Tests", "Corpus", "pets.openapi.yaml")));
var bigDocument = Path.Combine(big, "two-hundred-steps.arazzo.yaml");
File.WriteAllText(bigDocument, TwoHundredSteps(200));
if (args.Contains("--phases"))
{
    // Where a cold validation of the 200-step document spends its time.
    var text = File.ReadAllText(bigDocument);
    var watch = Stopwatch.StartNew();
    var parsed = YamlJsonReader.Parse(text);
    Console.WriteLine($"yaml parse {watch.Elapsed.TotalMilliseconds:0.0} ms");
    watch.Restart();
    var schemaErrors = ArazzoSchemaValidator.Validate(parsed.Root);
    Console.WriteLine($"schema (first, builds it) {watch.Elapsed.TotalMilliseconds:0.0} ms, {schemaErrors.Count} errors");
    watch.Restart();
    ArazzoSchemaValidator.Validate(parsed.Root);
    Console.WriteLine($"schema (again) {watch.Elapsed.TotalMilliseconds:0.0} ms");
    watch.Restart();
    await ArazzoDocumentLoader.LoadAsync(bigDocument);
    Console.WriteLine($"whole load after that {watch.Elapsed.TotalMilliseconds:0.0} ms");
    return 0;
}

var coldStart = Stopwatch.StartNew();
var coldCpu = Process.GetCurrentProcess().TotalProcessorTime;
var cold = await ArazzoDocumentLoader.LoadAsync(bigDocument);
var coldMs = coldStart.Elapsed.TotalMilliseconds;
var coldCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - coldCpu).TotalMilliseconds;
Check(cold, "the 200-step document");

var validateSeed = await MeasureAsync(iterations, async () => Check(await ArazzoDocumentLoader.LoadAsync(seed, seedOptions), "the seed"));
var validateBig = await MeasureAsync(iterations, async () => Check(await ArazzoDocumentLoader.LoadAsync(bigDocument), "the 200-step document"));

await using var sandbox = await OktaSandbox.StartNewAsync();
var document = (await ArazzoDocumentLoader.LoadAsync(seed, seedOptions)).Document!;
using var http = new HttpClient();
var runner = new ArazzoWorkflowRunner(http);
var inputs = new Dictionary<string, JsonNode?>
{
    ["oktaApiToken"] = sandbox.Token,
    ["userId"] = OktaSandboxSeed.AliceId,
    ["factorType"] = "token:software:totp",
    ["provider"] = "GOOGLE",
};
var runSeed = await MeasureAsync(iterations, async () =>
{
    var run = await runner.RunAsync(document, "reset-and-reenroll-factor", inputs, new WorkflowRunOptions { ServerUrl = sandbox.BaseUrl });
    if (!run.Succeeded)
    {
        throw new InvalidOperationException(run.Failure!.Message);
    }
});

var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {load}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"validate seed (with the {new FileInfo(Path.Combine(okta, "openapi", "okta-openapi-original.yml")).Length / 1024} KiB Okta OpenAPI): {validateSeed}");
Console.WriteLine($"run seed against the local sandbox (2 HTTP steps):      {runSeed}");
Console.WriteLine($"validate 200-step document: cold (first in the process, JIT included) {coldMs:0.0} ms wall / {coldCpuMs:0.0} ms CPU; warm {validateBig}");
// The figure an admin sees: a fresh `arazzo validate` process (runtime start and JIT included), as built (JIT only)
// and as published ReadyToRun (run.sh publishes it to bench/arazzo/bin/arazzo-r2r).
await FreshProcessesAsync("as built", Path.Combine(repo, "src", "Arazzo.Cli", "bin", "Release", "net10.0", "arazzo.dll"), bigDocument);
await FreshProcessesAsync("ReadyToRun publish", Path.Combine(repo, "bench", "arazzo", "bin", "arazzo-r2r", "arazzo.dll"), bigDocument);

Directory.Delete(big, recursive: true);
return 0;

static async Task FreshProcessesAsync(string label, string cli, string document)
{
    if (!File.Exists(cli))
    {
        return;
    }

    var walls = new List<double>();
    for (var i = 0; i < 5; i++)
    {
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo("dotnet", [cli, "validate", document]) { RedirectStandardOutput = true })!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        walls.Add(watch.Elapsed.TotalMilliseconds);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("arazzo validate refused the 200-step document");
        }
    }

    walls.Sort();
    Console.WriteLine($"`arazzo validate` 200-step document, fresh process each time ({label}): median {walls[2]:0} ms, min {walls[0]:0} ms, max {walls[4]:0} ms (5 runs)");
}

static async Task<string> MeasureAsync(int iterations, Func<Task> action)
{
    for (var i = 0; i < 3; i++)
    {
        await action();
    }

    var samples = new List<double>();
    for (var i = 0; i < iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        await action();
        samples.Add(watch.Elapsed.TotalMilliseconds);
    }

    samples.Sort();
    var median = samples[samples.Count / 2];
    var p95 = samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(samples.Count * 0.95) - 1)];
    return $"median {median:0.00} ms, p95 {p95:0.00} ms ({iterations} runs)";
}

static void Check(ArazzoLoadResult result, string what)
{
    if (!result.IsValid)
    {
        throw new InvalidOperationException($"{what} is not valid: {string.Join("; ", result.Errors)}");
    }
}

static string TwoHundredSteps(int count)
{
    var text = new StringBuilder("""
        arazzo: 1.0.1
        info: { title: Two hundred steps, version: 1.0.0 }
        sourceDescriptions:
          - { name: pets, url: ./pets.openapi.yaml, type: openapi }
        workflows:
          - workflowId: long
            inputs: { type: object, properties: { id: { type: string } } }
            steps:

        """);
    for (var i = 0; i < count; i++)
    {
        var previous = i == 0 ? "$inputs.id" : $"$steps.s{i - 1}.outputs.id";
        text.Append(CultureInfo.InvariantCulture, $"""
                  - stepId: s{i}
                    operationId: getPet
                    parameters:
                      - {"{"} name: petId, in: path, value: {previous} {"}"}
                      - {"{"} name: X-Trace, in: header, value: 'step {i} of {"{"}$inputs.id{"}"}' {"}"}
                    successCriteria:
                      - condition: $statusCode == 200 && $response.body#/id != null
                      - {"{"} context: $response.body, condition: '$[?@.id]', type: jsonpath {"}"}
                    onFailure:
                      - {"{"} name: again, type: retry, retryAfter: 0, retryLimit: 1, criteria: [ {"{"} condition: $statusCode == 503 {"}"} ] {"}"}
                    outputs:
                      id: $response.body#/id

            """);
    }

    text.Append(CultureInfo.InvariantCulture, $"    outputs:\n      last: $steps.s{count - 1}.outputs.id\n");
    return text.ToString();
}

static string FindRepository()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "ChatOpsMfa.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("ChatOpsMfa.sln not found");
}
