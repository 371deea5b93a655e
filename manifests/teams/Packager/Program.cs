using ChatOpsMfa.Channels.Teams;

// The app id comes from the same places the host reads it: appsettings, user secrets, environment, command line.
var repository = FindRepository();
var configuration = new ConfigurationBuilder()
    .AddJsonFile(Path.Combine(repository, "src", "ChatOpsMfa", "appsettings.json"), optional: true)
    .AddUserSecrets(typeof(TeamsAppPackage).Assembly, optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();

var appId = configuration[TeamsConfigurationKeys.AppId];
if (string.IsNullOrWhiteSpace(appId))
{
    Console.Error.WriteLine($"Set {TeamsConfigurationKeys.AppId} (environment, user secrets or --{TeamsConfigurationKeys.AppId} <guid>).");
    return 2;
}

var output = Path.GetFullPath(configuration["out"] ?? "chatopsmfa-teams.zip");
try
{
    using var file = File.Create(output);
    TeamsAppPackage.Write(Path.Combine(repository, "manifests", "teams"), appId, file);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

Console.WriteLine($"Wrote {output}: upload it in Teams (Apps > Manage your apps > Upload an app).");
return 0;

static string FindRepository()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "ChatOpsMfa.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run this from inside the ChatOpsMfa repository.");
}
