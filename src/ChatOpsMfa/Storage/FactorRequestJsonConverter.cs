using System.Text.Json;
using System.Text.Json.Serialization;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Storage;

/// <summary>
/// Writes a request's factor with its phone number and email protected (<see cref="ContactDetailsProtector"/>), never
/// in plaintext; reads them back for the enrol call. Rows from before protection (plain <c>phoneNumber</c>,
/// <c>email</c>) are still read, and protected when next saved.
/// </summary>
internal sealed class FactorRequestJsonConverter(ContactDetailsProtector contacts) : JsonConverter<FactorRequest>
{
    private const string ProtectedContact = "protectedContact";

    public override FactorRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var (phone, email) = Text(root, ProtectedContact) is { } sealedContact
            ? contacts.Unprotect(sealedContact)
            : (Text(root, "phoneNumber"), Text(root, "email"));
        return new FactorRequest(
            Text(root, "factorType") ?? throw new JsonException("A stored factor has no factorType."),
            Text(root, "provider") ?? throw new JsonException("A stored factor has no provider."),
            Text(root, "label") ?? "",
            phone,
            email)
        {
            DestinationSource = Text(root, "destinationSource"),
        };
    }

    public override void Write(Utf8JsonWriter writer, FactorRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("factorType", value.FactorType);
        writer.WriteString("provider", value.Provider);
        writer.WriteString("label", value.Label);
        if (value.DestinationSource is { } source)
        {
            writer.WriteString("destinationSource", source);
        }

        if (value.PhoneNumber is not null || value.Email is not null)
        {
            writer.WriteString(ProtectedContact, contacts.Protect(value.PhoneNumber, value.Email));
        }

        writer.WriteEndObject();
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
