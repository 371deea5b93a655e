using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.XPath;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// xpath criteria through System.Xml.XPath (XPath 1.0). The context is XML text (a response body); DTDs and external
/// entities are refused. The criterion holds for true, a non-zero number, a non-empty string or a non-empty node-set.
/// </summary>
internal static class XPathCriterion
{
    private const long MaxCharacters = 10 * 1024 * 1024;

    public static string? Check(string condition)
    {
        try
        {
            _ = XPathExpression.Compile(condition);
            return null;
        }
        catch (XPathException exception)
        {
            return $"invalid XPath (this runner evaluates XPath 1.0): {exception.Message}";
        }
    }

    public static CriterionOutcome Evaluate(string condition, JsonNode? context)
    {
        if (context is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
        {
            return CriterionOutcome.Of(false);
        }

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxCharacters };
        try
        {
            using var reader = XmlReader.Create(new StringReader(text.GetValue<string>()), settings);
            var navigator = new XPathDocument(reader).CreateNavigator();
            return CriterionOutcome.Of(navigator.Evaluate(condition) switch
            {
                bool flag => flag,
                double number => number != 0 && !double.IsNaN(number),
                string value => value.Length > 0,
                XPathNodeIterator nodes => nodes.Count > 0,
                _ => false,
            });
        }
        catch (XmlException)
        {
            return CriterionOutcome.Of(false); // the context is not XML: nothing is selected
        }
    }
}
