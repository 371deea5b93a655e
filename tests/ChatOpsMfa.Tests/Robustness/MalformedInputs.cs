using System.Text;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// A deterministic source of hostile input: seeded <see cref="Random"/>, so a failing input is the same on every run
/// and its number in the failure message is enough to reproduce it.
/// </summary>
internal sealed class MalformedInputs(int seed)
{
    /// <summary>Strings that look like attacks on whatever might interpret them later.</summary>
    public static readonly string[] Hostile =
    [
        "'; DROP TABLE requests; --",
        "\" OR 1=1 --",
        "1; DELETE FROM audit WHERE 1=1",
        "Robert'); DROP TABLE outbox;--",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(document.cookie)>",
        "javascript:alert(1)",
        "${requestId}",
        "${$root.secret}",
        "${if(true, 'a', 'b')}",
        "{{7*7}}",
        "#{7*7}",
        "$(whoami)",
        "`rm -rf /`",
        "*bold* _it_ ~strike~ `code` ```block```",
        "[click](javascript:alert(1)) <!channel> <!here> @everyone <@U12345>",
        "<http://evil.example|https://okta.example>",
        "../../../../etc/passwd",
        "..\\..\\..\\windows\\win.ini",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "file:///etc/shadow",
        "http://169.254.169.254/latest/meta-data/",
        "a\r\nSet-Cookie: session=evil",
        "a\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK",
        "%0d%0aLocation:%20http://evil.example",
        "\u202Egnp.exe",
        "\u200B\u200C\u200D\uFEFF",
        "\0",
        "nul\0byte",
        "\uD800",
        "\uDFFF lone low surrogate",
        "😀🔐 emoji",
        "Ünïcödé ∑ ☃",
        "   ",
        "",
        "-1",
        "9223372036854775808",
        "1e309",
        "NaN",
        "null",
        "true",
        "{}",
        "[]",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "/mfa-reset ' OR 1=1 --",
        "/mfa-reset ${requestId}",
        "mfa-reset <script>",
        "/mfa-reset ../../etc/passwd",
        "/mfa-reset",
        "help",
        "approve",
        "token:software:totp|GOOGLE",
        "push|OKTA",
        "sms|OKTA",
        "|",
        "||||",
        "token:software:totp|../../GOOGLE",
        "+1 555 0100 ${x}",
        "+15550100123",
        "alice@example.com",
        "carol@example.com\r\nBcc: evil@example.com",
    ];

    private static readonly string[] UnknownFields = ["__proto__", "constructor", "$type", "isAdmin", "role", "approved", "x-extra", "", " ", "requestId\0"];

    /// <summary>Deep nesting is part of the input; the writer's default depth limit (64) is not.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Writer = new() { MaxDepth = 4096 };

    public Random Random { get; } = new(seed);

    public static string Json(JsonNode node) => node.ToJsonString(Writer);

    public string HostileText()
    {
        return Random.Next(10) switch
        {
            0 => new string('A', Random.Next(1_000, 70_000)),
            1 => string.Concat(Enumerable.Range(0, Random.Next(2, 6)).Select(_ => Pick(Hostile))),
            2 => Pick(Hostile) + new string('\u0301', Random.Next(1, 300)),
            _ => Pick(Hostile),
        };
    }

    /// <summary>Any JSON value of any type, hostile strings included, sometimes deeply nested.</summary>
    public JsonNode? AnyValue(int depth = 0)
    {
        switch (Random.Next(depth > 2 ? 7 : 10))
        {
            case 0: return null;
            case 1: return JsonValue.Create(Random.Next(2) == 0);
            case 2: return JsonValue.Create(Random.Next(-1_000_000, 1_000_000));
            case 3: return JsonValue.Create(Random.NextDouble() * 1e300);
            case 4 or 5 or 6: return JsonValue.Create(HostileText());
            case 7: return new JsonArray(Enumerable.Range(0, Random.Next(0, 4)).Select(_ => AnyValue(depth + 1)).ToArray());
            case 8: return Nested(Random.Next(10, 120));
            default:
                var obj = new JsonObject();
                for (var i = Random.Next(0, 4); i > 0; i--)
                {
                    obj[Pick(UnknownFields) + i] = AnyValue(depth + 1);
                }

                return obj;
        }
    }

    /// <summary>What a card button or form might send, with hostile values: never the id of a request that exists.</summary>
    public JsonNode? CardValue()
    {
        if (Random.Next(8) == 0)
        {
            return AnyValue();
        }

        var value = new JsonObject
        {
            ["verb"] = Random.Next(4) == 0 ? AnyValue() : Pick(["approve", "deny", "retry", "cancel", "object", "submitRequest", "refresh", "APPROVE", HostileText()]),
        };
        if (Random.Next(4) != 0)
        {
            value["requestId"] = Random.Next(3) == 0 ? AnyValue() : Pick([Guid.NewGuid().ToString("N"), HostileText(), "1", "%", "*"]);
        }

        if (Random.Next(2) == 0)
        {
            value["factor"] = Random.Next(3) == 0 ? AnyValue() : Pick(["token:software:totp|GOOGLE", "push|OKTA", "sms|OKTA", "call|OKTA", "email|OKTA", HostileText()]);
            value["phoneNumber"] = Random.Next(2) == 0 ? AnyValue() : HostileText();
            value["email"] = Random.Next(2) == 0 ? AnyValue() : HostileText();
        }

        if (Random.Next(3) == 0)
        {
            value[Pick(UnknownFields)] = AnyValue();
        }

        return value;
    }

    /// <summary>Changes one thing in <paramref name="valid"/>: a field gets a wrong or hostile value, goes, or an unknown one appears.</summary>
    public JsonObject Mutate(JsonObject valid, int changes = 1)
    {
        var copy = valid.DeepClone().AsObject();
        for (var i = 0; i < changes; i++)
        {
            var (parent, key) = PickField(copy);
            switch (Random.Next(5))
            {
                case 0:
                    parent.Remove(key);
                    break;
                case 1:
                    parent[Pick(UnknownFields)] = AnyValue();
                    break;
                case 2:
                    parent[key] = HostileText();
                    break;
                default:
                    parent[key] = AnyValue();
                    break;
            }
        }

        return copy;
    }

    /// <summary>The bytes of a JSON document, often damaged: truncated, invalid UTF-8, doubled keys, padded to huge.</summary>
    public byte[] Damage(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        switch (Random.Next(12))
        {
            case 0:
                return bytes[..Random.Next(0, Math.Max(1, bytes.Length))];
            case 1:
                return InvalidUtf8(bytes);
            case 2:
                return Encoding.UTF8.GetBytes(json.TrimEnd('}') + ",\"type\":\"message\",\"type\":{\"x\":1}}");
            case 3:
                return Encoding.UTF8.GetBytes(json.TrimEnd('}') + ",\"padding\":\"" + new string('x', Random.Next(100_000, 400_000)) + "\"}");
            case 4:
                return Encoding.UTF8.GetBytes(new string('[', Random.Next(64, 5_000)));
            case 5:
                return Random.Next(2) == 0 ? [] : Encoding.UTF8.GetBytes(Pick(["null", "[]", "42", "\"text\"", "true", "<xml/>", "a=b&c=d"]));
            case 6:
                return Encoding.Unicode.GetBytes(json);
            default:
                return bytes;
        }
    }

    public byte[] InvalidUtf8(byte[] bytes)
    {
        byte[][] bad = [[0xC3, 0x28], [0xA0, 0xA1], [0xE2, 0x28, 0xA1], [0xF0, 0x28, 0x8C, 0x28], [0xFF, 0xFE], [0xED, 0xA0, 0x80], [0xC0, 0xAF]];
        var at = Random.Next(0, bytes.Length + 1);
        return [.. bytes[..at], .. Pick(bad), .. bytes[at..]];
    }

    public string? ContentType() => Pick<string?>(
    [
        "application/json", "application/json", "application/json", "application/json; charset=utf-8",
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
        "application/json; charset=utf-16", "application/*", "garbage/\u00e9", null,
    ]);

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    private static JsonNode Nested(int depth)
    {
        JsonNode node = JsonValue.Create("bottom")!;
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["n"] = node };
        }

        return node;
    }

    /// <summary>A random field anywhere in the object tree (the object itself when it is empty).</summary>
    private (JsonObject Parent, string Key) PickField(JsonObject root)
    {
        var fields = new List<(JsonObject, string)>();
        void Walk(JsonObject obj, int depth)
        {
            foreach (var (key, value) in obj.ToList())
            {
                fields.Add((obj, key));
                if (value is JsonObject child && depth < 4)
                {
                    Walk(child, depth + 1);
                }
            }
        }

        Walk(root, 0);
        return fields.Count == 0 ? (root, "x") : Pick(fields);
    }
}
