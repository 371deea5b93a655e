namespace ChatOpsMfa.Hosting;

public static class LocalModeGuard
{
    /// <summary>
    /// The Okta sandbox resets anyone's factors without a real Okta behind it: it is for trying the bot on a laptop.
    /// Outside Development it stops start-up rather than quietly running.
    /// </summary>
    public static IHostApplicationBuilder RefuseLocalModeOutsideDevelopment(this IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment() && builder.Configuration.GetValue<bool>("Okta:Sandbox:Enabled"))
        {
            throw new InvalidOperationException(
                $"Okta:Sandbox:Enabled is true in the '{builder.Environment.EnvironmentName}' environment. " +
                "The sandbox is only for local mode (Development); set Okta:Client:OrgUrl and Okta:Client:Token instead.");
        }

        return builder;
    }
}
