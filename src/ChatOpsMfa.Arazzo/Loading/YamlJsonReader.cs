using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Reads YAML (and so JSON, which is YAML) into <see cref="JsonNode"/>, resolving plain scalars by the
/// YAML 1.2 core schema and recording where each node starts.
/// </summary>
internal static partial class YamlJsonReader
{
    public static ParsedSource Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var positions = new Dictionary<string, (int Line, int Column)>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0)
        {
            return new ParsedSource(null, positions);
        }

        var root = Convert(stream.Documents[0].RootNode, string.Empty, positions);
        return new ParsedSource(root, positions);
    }

    private static JsonNode? Convert(YamlNode node, string pointer, Dictionary<string, (int, int)> positions)
    {
        positions[pointer] = ((int)node.Start.Line, (int)node.Start.Column);
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    var key = keyNode is YamlScalarNode scalarKey ? scalarKey.Value ?? string.Empty : keyNode.ToString();
                    obj[key] = Convert(valueNode, pointer + "/" + EscapePointer(key), positions);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    array.Add(Convert(sequence.Children[i], pointer + "/" + i.ToString(CultureInfo.InvariantCulture), positions));
                }

                return array;
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                throw new YamlException(node.Start, node.End, "Unsupported YAML node.");
        }
    }

    public static string EscapePointer(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
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
