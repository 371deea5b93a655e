namespace ChatOpsMfa.Cards;

/// <summary>The input ids on the request form: the keys of the submitted values.</summary>
public static class RequestFormInputs
{
    /// <summary>The chosen factor, as written by <see cref="RequestFormCard.ChoiceValue"/>.</summary>
    public const string Factor = "factor";
    public const string PhoneNumber = "phoneNumber";
    public const string Email = "email";
    public const string SecurityQuestion = "securityQuestion";
    public const string SecurityAnswer = "securityAnswer";
}
