using ChatOpsMfa.Okta.Sandbox;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Okta;

/// <summary>Wires Okta into the host: options, the typed client and its handlers, the endpoint, the sandbox.</summary>
public static class OktaExtensions
{
    public static IHostApplicationBuilder AddOkta(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddOptions<OktaSandboxOptions>().BindConfiguration(OktaSandboxOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OktaSandboxOptions>, OktaSandboxOptionsValidator>();
        services.AddOptions<OktaClientOptions>().BindConfiguration(OktaClientOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OktaClientOptions>, OktaClientOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OktaSandbox>();
        services.AddHostedService<OktaSandboxHostedService>();
        services.AddSingleton<OktaEndpoint>();

        services.AddTransient<OktaAuthHandler>();
        services.AddTransient<OktaRateLimitHandler>();
        services.AddTransient<OktaDpopHandler>();
        services.AddSingleton<OktaDpopProofs>();
        services.AddSingleton<OktaAccessTokenSource>();

        // One pipeline for everything that talks to Okta: the typed OktaClient and the named client the workflow runner uses.
        // The DPoP handler is innermost so each attempt, a 429 retry too, carries a fresh proof (PrivateKey mode only).
        services.AddHttpClient<OktaClient>(OktaClient.HttpClientName, ConfigureOktaHttpClient)
            .AddHttpMessageHandler<OktaAuthHandler>()
            .AddHttpMessageHandler<OktaRateLimitHandler>()
            .AddHttpMessageHandler<OktaDpopHandler>();

        // The token endpoint's own client: no auth handler (the assertion and proof are the credentials).
        services.AddHttpClient(OktaAccessTokenSource.HttpClientName, (sp, http) =>
            http.Timeout = sp.GetRequiredService<IOptions<OktaClientOptions>>().Value.RequestTimeout);

        return builder;
    }

    private static void ConfigureOktaHttpClient(IServiceProvider services, HttpClient http)
    {
        http.BaseAddress = services.GetRequiredService<OktaEndpoint>().BaseUrl;
        http.Timeout = services.GetRequiredService<IOptions<OktaClientOptions>>().Value.RequestTimeout;
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
    }
}
