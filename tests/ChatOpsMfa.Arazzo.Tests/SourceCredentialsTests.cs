namespace ChatOpsMfa.Arazzo.Tests;

public class SourceCredentialsTests
{
    [Fact]
    public void Configuration_keys_become_headers_of_their_own_source_only()
    {
        var headers = SourceCredentials.FromConfiguration(
        [
            new("Arazzo:Sources:pets:Headers:Authorization", "Bearer p"),
            new("arazzo:sources:orders:headers:X-Api-Key", "k"),
            new("Arazzo:Sources:orders:Other:X", "ignored"),
            new("Okta:Client:Token", "never"),
        ]);

        Assert.Equal(["orders", "pets"], headers.Keys.Order());
        Assert.Equal("Bearer p", Assert.Single(headers["pets"]).Value);
        Assert.Equal(("X-Api-Key", "k"), (Assert.Single(headers["orders"]).Key, headers["orders"]["X-Api-Key"]));
    }
}
