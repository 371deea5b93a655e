using ChatOpsMfa.Channels.Local;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Hosting;

public static class LocalChatOktaBanner
{
    /// <summary>The local page says plainly whether Okta is the sandbox or a real org (then in red).</summary>
    public static IHostApplicationBuilder ShowOktaModeInLocalChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LocalChatOptions>()
            .PostConfigure<OktaEndpoint>((options, okta) => options.OktaIsSandbox = okta.IsSandbox);
        return builder;
    }
}
