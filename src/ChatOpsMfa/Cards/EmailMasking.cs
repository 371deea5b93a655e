namespace ChatOpsMfa.Cards;

/// <summary>Shows an email address as its first character and domain ("a•••@example.com").</summary>
public static class EmailMasking
{
    /// <summary>The masked address; anything without a local part and a domain is hidden entirely.</summary>
    public static string Mask(string? email)
    {
        var trimmed = email?.Trim();
        var at = trimmed?.LastIndexOf('@') ?? -1;
        if (trimmed is null || at < 1 || at == trimmed.Length - 1)
        {
            return PhoneMasking.Hidden;
        }

        return $"{trimmed[0]}{PhoneMasking.Hidden}{trimmed[at..]}";
    }
}
