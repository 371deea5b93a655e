using ChatOpsMfa.Okta;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ChatOpsMfa.Telemetry;

/// <summary>Wires OpenTelemetry (traces, metrics, the Prometheus endpoint), the health checks and log scopes.</summary>
public static class TelemetryExtensions
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";
    private const string ReadyTag = "ready";

    /// <summary>Call after <c>AddOkta</c>: the metrics handler must be the Okta pipeline's innermost one.</summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName)
            .Validate(o => o.Metrics.Port is >= 0 and <= 65535, "Telemetry:Metrics:Port must be a TCP port (1-65535), or 0 for any.")
            .ValidateOnStart();
        services.AddSingleton<OutboxBacklog>();
        services.AddSingleton<ChatOpsMfaMetrics>();
        services.AddSingleton<OktaCredentialState>();
        services.AddTransient<OktaMetricsHandler>();
        // Added after the auth and rate-limit handlers, so it sees every attempt (each 429 too) as it goes on the wire.
        services.AddHttpClient(OktaClient.HttpClientName).AddHttpMessageHandler<OktaMetricsHandler>();

        // Log lines carry the trace id, and the scopes (RequestNumber) are printed.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddSimpleConsole(o => o.IncludeScopes = true);

        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var prometheus = builder.Configuration.GetValue<bool>("Telemetry:Metrics:Enabled");
        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("chatopsmfa"));
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(ChatOpsMfaTracing.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !IsProbe(c.Request.Path))
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = NameOktaCall)
                .AddOtlpExporter());
        }
        else
        {
            // With no exporter a recorded span reaches nobody, and recording every request's and every outbound call's
            // spans was measurable under a Slack burst (bench/slack). The bot's own spans are still made, unrecorded, so
            // log lines keep their trace id (ASP.NET Core makes its request's activity for the logs by itself).
            services.AddHostedService<TraceIdsWithoutExporter>();
        }

        telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(ChatOpsMfaMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }

                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });

        services.AddSingleton<DatabaseHealthCheck>();
        services.AddSingleton<OktaHealthCheck>();
        services.AddSingleton<ChatPlatformsHealthCheck>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<OktaHealthCheck>("okta", tags: [ReadyTag])
            .AddCheck<ChatPlatformsHealthCheck>("chat", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c> (the process answers), <c>/health/ready</c> (database, Okta, chat platforms) and, when
    /// <c>Telemetry:Metrics:Enabled</c>, <c>/metrics</c> (only on <c>Telemetry:Metrics:Port</c> when that is set).
    /// </summary>
    public static WebApplication MapTelemetry(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });

        var metrics = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.Metrics;
        if (metrics.Enabled)
        {
            var endpoint = app.MapPrometheusScrapingEndpoint(MetricsPath);
            if (metrics.Port > 0)
            {
                endpoint.RequireHost($"*:{metrics.Port}");
            }
        }

        return app;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) || path.StartsWithSegments("/healthz", StringComparison.Ordinal)
        || path.StartsWithSegments(MetricsPath, StringComparison.Ordinal);

    /// <summary>
    /// An HTTP span's URL would carry Okta user and factor ids (and Teams conversation ids): Okta calls are named by
    /// their operation and path template, any other call keeps only its host.
    /// </summary>
    private static void NameOktaCall(System.Diagnostics.Activity activity, HttpRequestMessage request)
    {
        if (request.RequestUri is not { } uri)
        {
            return;
        }

        if (request.Options.TryGetValue(OktaMetricsHandler.OperationKey, out var operation))
        {
            activity.DisplayName = $"{request.Method.Method} {operation}";
            activity.SetTag("okta.operation", operation);
            activity.SetTag("url.full", $"{uri.Scheme}://{uri.Authority}{OktaOperations.TemplateOf(operation)}");
            return;
        }

        activity.SetTag("url.full", $"{uri.Scheme}://{uri.Authority}/");
    }
}
