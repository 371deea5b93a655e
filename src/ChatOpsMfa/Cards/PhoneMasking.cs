namespace ChatOpsMfa.Cards;

/// <summary>
/// Shows a phone number as its country code and last four digits ("+1 ••• ••• 4567"), so an approver can
/// check it is plausibly the employee's without the full number ever reaching a chat message.
/// </summary>
public static class PhoneMasking
{
    public const string Hidden = "•••";

    // E.164 country codes are prefix-free: 1 and 7 are the only one-digit codes, these the two-digit ones;
    // every other code has three digits.
    private static readonly HashSet<string> TwoDigitCountryCodes =
    [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
        "86", "90", "91", "92", "93", "94", "95", "98",
    ];

    /// <summary>
    /// The masked number. The mask has a fixed shape whatever the length, so it does not leak how long the
    /// number is; anything that is not a plausible E.164 number is hidden entirely (fails closed).
    /// </summary>
    public static string Mask(string? phoneNumber)
    {
        if (string.IsNullOrWhiteSpace(phoneNumber))
        {
            return Hidden;
        }

        var compact = new string(phoneNumber.Where(c => c is not (' ' or '-' or '.' or '(' or ')')).ToArray());
        if (compact.Length < 8 || compact.Length > 16 || compact[0] != '+' || compact[1] == '0'
            || !compact.Skip(1).All(char.IsAsciiDigit))
        {
            return Hidden;
        }

        var digits = compact[1..];
        var countryCode = CountryCodeOf(digits);
        return $"+{countryCode} {Hidden} {Hidden} {digits[^4..]}";
    }

    private static string CountryCodeOf(string digits) =>
        digits[0] is '1' or '7' ? digits[..1]
        : TwoDigitCountryCodes.Contains(digits[..2]) ? digits[..2]
        : digits[..3];
}
