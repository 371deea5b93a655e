using ChatOpsMfa.Telemetry;
using ChatOpsMfa.Tests.Flow;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace ChatOpsMfa.Tests.Telemetry;

/// <summary>Spans are recorded when there is an exporter to send them to, and only then; trace ids exist either way.</summary>
public class TracingTests
{
    [Fact]
    public void With_an_otlp_endpoint_the_host_records_and_exports_spans()
    {
        // The one test here that makes a host with an exporter: the span listeners are process-wide, and the other test
        // in this class (never run alongside it) checks that nothing records. Nothing listens on port 1: the exporter's sends fail in the background, which is all a test can see of them.
        using var host = new FlowHost(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:1" });

        Assert.NotNull(host.Services.GetService<TracerProvider>());
        using var span = ChatOpsMfaTracing.Source.StartActivity("test span");
        Assert.NotNull(span);
        Assert.True(span.Recorded, "with an exporter the bot's spans are sampled and recorded");
    }

    [Fact]
    public void Without_an_exporter_no_span_is_recorded_but_the_bots_own_spans_still_carry_a_trace_id()
    {
        using var host = new FlowHost();
        _ = host.Services; // started

        Assert.Null(host.Services.GetService<TracerProvider>());
        using var span = ChatOpsMfaTracing.Source.StartActivity("test span");
        Assert.NotNull(span);
        Assert.NotEqual(default, span.TraceId);
        Assert.False(span.IsAllDataRequested, "nothing would read what a span records");
    }
}
