namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>The one reading of the Arazzo:* loader keys that the arazzo tool and the bot's workflow command share.</summary>
public class ArazzoConfigurationTests
{
    private static KeyValuePair<string, string?> Key(string key, string? value) => new(key, value);

    [Fact]
    public void Nothing_configured_refuses_every_remote_host_with_the_default_limits()
    {
        var options = ArazzoConfiguration.LoadOptions([], [], sourceRoot: null);

        Assert.Empty(options.AllowedRemoteHosts);
        Assert.Equal(ArazzoLoadOptions.DefaultMaxSourceBytes, options.MaxSourceBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RemoteTimeout);
        Assert.Null(options.SourceRoot);
    }

    [Fact]
    public void Hosts_come_from_the_command_line_a_comma_list_and_indexed_keys_once_each()
    {
        var options = ArazzoConfiguration.LoadOptions(
            [Key("Arazzo:AllowRemoteHosts", "a.example, b.example"), Key("arazzo:allowremotehosts:0", "C.example"), Key("Arazzo:AllowRemoteHostsX", "no.example")],
            ["b.example", "d.example"], sourceRoot: null);

        Assert.Equal(["b.example", "d.example", "a.example", "C.example"], options.AllowedRemoteHosts);
    }

    [Fact]
    public void Limits_are_read_and_the_last_value_wins()
    {
        var options = ArazzoConfiguration.LoadOptions(
            [Key("Arazzo:RemoteTimeout", "00:00:30"), Key("Arazzo:RemoteTimeout", "00:00:02"), Key("Arazzo:MaxSourceBytes", "4096")], [], "/srv/flows");

        Assert.Equal(TimeSpan.FromSeconds(2), options.RemoteTimeout);
        Assert.Equal(4096, options.MaxSourceBytes);
        Assert.Equal(Path.GetFullPath("/srv/flows"), options.SourceRoot);
    }

    [Theory]
    [InlineData("Arazzo:RemoteTimeout", "00:00:00", "Arazzo:RemoteTimeout: '00:00:00' is not a positive time span")]
    [InlineData("Arazzo:MaxSourceBytes", "1e6", "Arazzo:MaxSourceBytes: '1e6' is not a positive number of bytes")]
    [InlineData("Arazzo:AllowRemoteHosts", "specs.example.com/openapi", "'specs.example.com/openapi' is not a host name")]
    public void A_malformed_value_is_refused_naming_the_key(string key, string value, string message)
    {
        var error = Assert.Throws<FormatException>(() => ArazzoConfiguration.LoadOptions([Key(key, value)], [], sourceRoot: null));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
