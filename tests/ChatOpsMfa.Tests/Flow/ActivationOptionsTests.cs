using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>A nonsensical <c>Activation</c> setting stops start-up with a message that names the key.</summary>
public class ActivationOptionsTests
{
    [Theory]
    [InlineData("Activation:Timeout", "00:00:00")]
    [InlineData("Activation:MaxResends", "-1")]
    [InlineData("Activation:PollInterval", "-00:00:01")]
    [InlineData("Activation:TotpIssuer", "Evil:Issuer")]
    public void A_bad_activation_setting_stops_startup_naming_the_key(string key, string value)
    {
        using var host = new FlowHost(new Dictionary<string, string?> { [key] = value });

        var error = Record.Exception(() => host.Services);

        var validation = Assert.IsType<OptionsValidationException>(error is AggregateException aggregate ? aggregate.InnerException : error);
        Assert.Contains(key, validation.Message, StringComparison.Ordinal);
    }
}
