using System.Text.RegularExpressions;

namespace ChatOpsMfa.Requests;

/// <summary>What a typed activation code may look like. A problem is described without echoing what was typed.</summary>
public static partial class PassCodes
{
    public const string FormatProblem = "A code is 6 to 8 digits, like 123456. Please type just the digits.";

    /// <summary>The digits, with spaces and dashes people type taken out; null when it is not a code at all.</summary>
    public static string? Normalise(string? typed)
    {
        if (typed is null || typed.Length > 32)
        {
            return null;
        }

        var compact = typed.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
        return CodePattern().IsMatch(compact) ? compact : null;
    }

    [GeneratedRegex(@"^[0-9]{6,8}$")]
    private static partial Regex CodePattern();
}
