using Microsoft.IdentityModel.Tokens;

namespace ChatOpsMfa.Channels.Teams.Auth;

/// <summary>
/// One published signing key. <see cref="Endorsements"/> lists the channels the Bot Framework vouches the key for;
/// it is null for Entra tenant keys, which carry no endorsements.
/// </summary>
internal sealed record SigningKey(JsonWebKey Key, IReadOnlyList<string>? Endorsements);
