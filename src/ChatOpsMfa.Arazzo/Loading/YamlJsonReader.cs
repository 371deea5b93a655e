using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Reads YAML (and so JSON, which is YAML) into <see cref="JsonNode"/>, resolving plain scalars by the
/// YAML 1.2 core schema and recording where each node starts.
/// </summary>
internal static partial class YamlJsonReader
{
    /// <summary>
    /// Parses the first document. Aliases are refused (an alias bomb expands a few hundred bytes into billions of
    /// nodes; Arazzo documents have no need for them), so are duplicate keys, complex keys and nesting deeper than
    /// <see cref="ArazzoLoadOptions.MaxNestingDepth"/>. Each refusal is a <see cref="YamlException"/> with a position.
    /// </summary>
    public static ParsedSource Parse(string text)
    {
        var parser = new Parser(new StringReader(text));
        var positions = new Dictionary<string, (int Line, int Column)>(StringComparer.Ordinal);
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _))
        {
            return new ParsedSource(null, positions);
        }

        parser.Consume<DocumentStart>();
        var root = ReadNode(parser, string.Empty, positions, 0);
        parser.Consume<DocumentEnd>();
        return new ParsedSource(root, positions);
    }

    private static JsonNode? ReadNode(IParser parser, string pointer, Dictionary<string, (int, int)> positions, int depth)
    {
        var current = parser.Current ?? throw new YamlException("The YAML stream ended where a value was expected.");
        positions[pointer] = ((int)current.Start.Line, (int)current.Start.Column);
        if (depth > ArazzoLoadOptions.MaxNestingDepth)
        {
            throw new YamlException(current.Start, current.End, $"the document is nested more than {ArazzoLoadOptions.MaxNestingDepth} levels deep");
        }

        switch (current)
        {
            case AnchorAlias alias:
                throw new YamlException(alias.Start, alias.End, $"YAML aliases (*{alias.Value}) are not accepted: write the value out (aliases can expand a small file into billions of nodes)");
            case Scalar scalar:
                parser.MoveNext();
                return ConvertScalar(scalar);
            case SequenceStart:
                parser.MoveNext();
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    array.Add(ReadNode(parser, pointer + "/" + array.Count.ToString(CultureInfo.InvariantCulture), positions, depth + 1));
                }

                return array;
            case MappingStart:
                parser.MoveNext();
                var obj = new JsonObject();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    if (parser.Current is not Scalar keyScalar)
                    {
                        var at = parser.Current!;
                        throw at is AnchorAlias keyAlias
                            ? new YamlException(at.Start, at.End, $"YAML aliases (*{keyAlias.Value}) are not accepted: write the value out (aliases can expand a small file into billions of nodes)")
                            : new YamlException(at.Start, at.End, "mapping keys must be plain text");
                    }

                    var key = keyScalar.Value;
                    if (obj.ContainsKey(key))
                    {
                        throw new YamlException(keyScalar.Start, keyScalar.End, $"the key '{key}' appears twice in the same mapping");
                    }

                    parser.MoveNext();
                    obj[key] = ReadNode(parser, pointer + "/" + EscapePointer(key), positions, depth + 1);
                }

                return obj;
            default:
                throw new YamlException(current.Start, current.End, "Unsupported YAML node.");
        }
    }

    public static string EscapePointer(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static JsonNode? ConvertScalar(Scalar scalar)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (scalar.Style != ScalarStyle.Plain || tag is "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(value);
        }

        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(value) && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
