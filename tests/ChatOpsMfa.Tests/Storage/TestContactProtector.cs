using ChatOpsMfa.Requests;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>A contact-details protector with an in-memory key ring, for stores built outside the host.</summary>
internal static class TestContactProtector
{
    public static ContactDetailsProtector Create(IDataProtectionProvider? provider = null) =>
        new(provider ?? new EphemeralDataProtectionProvider(), NullLogger<ContactDetailsProtector>.Instance);
}
