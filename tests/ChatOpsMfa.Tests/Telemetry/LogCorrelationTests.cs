using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Flow;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Telemetry;

/// <summary>A request's log lines can be found by its number and followed by trace id.</summary>
public partial class LogCorrelationTests
{
    [GeneratedRegex("TraceId=([0-9a-f]{32})")]
    private static partial Regex TraceId();

    [Fact]
    public async Task Log_lines_of_a_request_carry_its_number_and_a_trace_id()
    {
        using var host = new FlowHost();
        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" });
        var request = await host.OnlyRequestAsync();
        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        // The worker's line for the enrolment, and the rate-limit/HTTP lines under it, carry the request number and a trace.
        await Eventually.WaitUntilAsync(() => host.Logs.Lines.Any(l => l.Message.Contains("factor enrolled", StringComparison.Ordinal)), "the enrolment log line");
        var enrolled = host.Logs.Lines.First(l => l.Message.Contains("factor enrolled", StringComparison.Ordinal));
        Assert.Contains($"RequestNumber={request.Number}", enrolled.Scope, StringComparison.Ordinal);
        var trace = TraceId().Match(enrolled.Scope);
        Assert.True(trace.Success, $"no trace id in the scope '{enrolled.Scope}'");
        Assert.NotEqual(new string('0', 32), trace.Groups[1].Value);

        // The decision's line carries the number too.
        var decided = host.Logs.Lines.First(l => l.Message.Contains("Approve done", StringComparison.Ordinal));
        Assert.Contains($"RequestNumber={request.Number}", decided.Scope, StringComparison.Ordinal);

        // The scope names the request by number only: never its id or the person.
        Assert.DoesNotContain(host.Logs.Lines, l => l.Scope.Contains(request.Id, StringComparison.Ordinal)
            || l.Scope.Contains(Alice.Email!, StringComparison.OrdinalIgnoreCase));
    }
}
