using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;

namespace ChatOpsMfa.Arazzo.Tests;

public sealed class RunArgumentValuesTests
{
    [Fact]
    public void A_server_and_inputs_are_read_as_name_and_value()
    {
        var servers = new Dictionary<string, Uri>();
        var inputs = new Dictionary<string, JsonNode?>();

        Assert.Null(RunArgumentValues.AddServer("pets=https://pets.example/v1", servers));
        Assert.Null(RunArgumentValues.AddInput("--input", "name=a=b", inputs));
        Assert.Null(RunArgumentValues.AddInput("--input-json", "limit=5", inputs));

        Assert.Equal(new Uri("https://pets.example/v1"), servers["pets"]);
        Assert.Equal("a=b", inputs["name"]!.GetValue<string>());
        Assert.Equal(5, inputs["limit"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("pets")]
    [InlineData("=https://x.example")]
    [InlineData("pets=ftp://x.example")]
    [InlineData("pets=relative/path")]
    public void A_server_that_is_not_name_and_http_url_is_refused(string value)
    {
        var servers = new Dictionary<string, Uri>();
        Assert.StartsWith("--server takes NAME=URL", RunArgumentValues.AddServer(value, servers));
        Assert.Empty(servers);
    }

    [Fact]
    public void A_refused_input_is_not_quoted_back_since_it_may_be_a_credential()
    {
        var inputs = new Dictionary<string, JsonNode?>();

        var noName = RunArgumentValues.AddInput("--input", "s3cr3t-token", inputs);
        var badJson = RunArgumentValues.AddInput("--input-json", "token={s3cr3t", inputs);

        Assert.NotNull(noName);
        Assert.NotNull(badJson);
        Assert.DoesNotContain("s3cr3t", noName + badJson, StringComparison.Ordinal);
        Assert.Empty(inputs);
    }
}
