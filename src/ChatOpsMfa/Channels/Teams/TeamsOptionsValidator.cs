using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>Stops startup with every Teams setting problem, each naming its configuration key.</summary>
internal sealed class TeamsOptionsValidator(IHostEnvironment environment) : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        var problems = TeamsOptionsReader.Problems(options, environment.IsProduction());
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
