using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Flow;
using ChatOpsMfa.Tests.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Security;

/// <summary>
/// The phone number or email a new factor is enrolled with is protected in the request row (ASP.NET Data
/// Protection, like the outbox's activation data): someone who copies the database file does not get it, and the
/// bot still reads it back for the enrol call.
/// </summary>
public sealed class ContactDetailsAtRestTests
{
    /// <summary>Every column of every request row, as text, read straight from the file with a new connection.</summary>
    private static async Task<(string Everything, List<JsonObject> Data)> RawRequestRowsAsync(FlowHost host)
    {
        await using var connection = new SqliteConnection(host.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM requests";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var everything = new StringBuilder();
        var data = new List<JsonObject>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                everything.Append(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
            }

            data.Add(JsonNode.Parse(reader.GetString(reader.GetOrdinal("data")))!.AsObject());
        }

        return (everything.ToString(), data);
    }

    [Fact]
    public async Task A_phone_number_is_not_in_the_request_row_in_plaintext_and_still_reaches_Okta()
    {
        using var host = new FlowHost();
        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "sms|OKTA", ["phoneNumber"] = "+1 415 555 0177" });
        var request = await host.OnlyRequestAsync();

        var (everything, data) = await RawRequestRowsAsync(host);
        Assert.DoesNotContain("4155550177", everything);
        Assert.DoesNotContain("555 0177", everything);
        var factor = Assert.Single(data)["factor"]!.AsObject();
        Assert.Equal("sms", factor["factorType"]!.GetValue<string>());
        Assert.False(factor.ContainsKey("phoneNumber"));
        Assert.Equal("+14155550177", request.Factor.PhoneNumber); // read back through the protector

        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        var enrol = Assert.Single(host.Okta.Requests, r => r.OperationId == "enrollFactor");
        Assert.Equal("+14155550177", JsonNode.Parse(enrol.Body)!["profile"]!["phoneNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_email_destination_is_not_in_the_request_rows_factor_in_plaintext_and_still_reaches_Okta()
    {
        using var host = new FlowHost();
        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "email|OKTA", ["email"] = "alice@example.com" });
        var request = await host.OnlyRequestAsync();

        var (_, data) = await RawRequestRowsAsync(host);
        var factor = Assert.Single(data)["factor"]!.AsObject();
        Assert.Equal("email", factor["factorType"]!.GetValue<string>());
        Assert.False(factor.ContainsKey("email"));
        Assert.DoesNotContain("alice@", factor.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("alice@example.com", request.Factor.Email);

        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        var enrol = Assert.Single(host.Okta.Requests, r => r.OperationId == "enrollFactor");
        Assert.Equal("alice@example.com", JsonNode.Parse(enrol.Body)!["profile"]!["email"]!.GetValue<string>());
    }

    private static ResetRequest SmsRequest(string phone) => new(
        "req-sms",
        new ChatUser("alice", "Alice Example", "alice@example.com"),
        new ConversationRef("local", "alice-1to1"),
        new TargetUser("00u1alice", "alice@example.com", "Alice Example"),
        new FactorRequest("sms", "OKTA", "SMS text message", PhoneNumber: phone) { DestinationSource = "typed by the requester" },
        DateTimeOffset.UnixEpoch,
        DateTimeOffset.UnixEpoch.AddMinutes(30));

    private static async Task<string> RawDataAsync(TempDatabase db)
    {
        await using var connection = new SqliteConnection(db.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM requests";
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task The_store_protects_the_number_with_its_own_purpose_and_reads_it_back()
    {
        await using var db = await TempDatabase.CreateAsync();
        var keys = new EphemeralDataProtectionProvider();
        var store = new RequestStore(db.Database, TestContactProtector.Create(keys), db.Checkpointer);
        await store.CreateAsync(SmsRequest("+14155550177"), new AuditNote("alice", "Alice Example", "Requested"), [], TestContext.Current.CancellationToken);

        var raw = JsonNode.Parse(await RawDataAsync(db))!["factor"]!;
        Assert.DoesNotContain("4155550177", raw.ToJsonString());
        Assert.Equal("typed by the requester", raw["destinationSource"]!.GetValue<string>());
        var sealedContact = raw["protectedContact"]!.GetValue<string>();
        // Another purpose (the outbox's) cannot open it: the protector is this one's own.
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(
            () => keys.CreateProtector("ChatOpsMfa.Outbox.Result.v1").Unprotect(sealedContact));

        var loaded = (await store.FindAsync("req-sms", TestContext.Current.CancellationToken))!;
        Assert.Equal("+14155550177", loaded.Factor.PhoneNumber);
        Assert.Equal("typed by the requester", loaded.Factor.DestinationSource);
    }

    [Fact]
    public async Task A_row_written_before_protection_is_read_and_protected_when_next_saved()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer);
        await store.CreateAsync(SmsRequest("+14155550177"), new AuditNote("alice", "Alice Example", "Requested"), [], TestContext.Current.CancellationToken);
        await using (var connection = new SqliteConnection(db.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var legacy = connection.CreateCommand();
            legacy.CommandText = "UPDATE requests SET data = json_set(json_remove(data, '$.factor.protectedContact'), '$.factor.phoneNumber', '+14155550188')";
            await legacy.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var loaded = (await store.FindAsync("req-sms", TestContext.Current.CancellationToken))!;
        Assert.Equal("+14155550188", loaded.Factor.PhoneNumber);
        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(loaded, TestContext.Current.CancellationToken));

        Assert.DoesNotContain("4155550188", await RawDataAsync(db));
        Assert.Equal("+14155550188", (await store.FindAsync("req-sms", TestContext.Current.CancellationToken))!.Factor.PhoneNumber);
    }

    [Fact]
    public async Task When_the_key_ring_is_lost_the_request_is_read_without_its_contact_details()
    {
        await using var db = await TempDatabase.CreateAsync();
        await new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer)
            .CreateAsync(SmsRequest("+14155550177"), new AuditNote("alice", "Alice Example", "Requested"), [], TestContext.Current.CancellationToken);

        var loaded = (await new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer).FindAsync("req-sms", TestContext.Current.CancellationToken))!;

        Assert.Equal("sms", loaded.Factor.FactorType);
        Assert.Null(loaded.Factor.PhoneNumber);
    }
}
