using System.Text;
using Signet.Protocol.Signatures;
using Signet.Protocol.StructuredFields;
using Signet.Protocol.Tests.Support;

namespace Signet.Protocol.Tests;

/// <summary>RFC 9421 §2.1 and §2.2 component values: every example row of derived-components.tsv and the
/// field examples (plain, sf, key, bs), plus the failures the RFC requires.</summary>
public sealed class ComponentTests
{
    public static TheoryData<string, string, string, string, string> DerivedRows()
    {
        var data = new TheoryData<string, string, string, string, string>();
        foreach (var line in File.ReadLines(Vectors.PathOf("rfc9421/derived-components.tsv")).Skip(1))
        {
            var columns = line.Split('\t');
            if (columns[1].StartsWith('('))
            {
                continue; // the request without a query string is covered by QueryIsAQuestionMarkWhenTheTargetHasNone
            }

            data.Add(columns[1], columns[2], columns[3], columns[4], columns[6]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DerivedRows))]
    public void DerivedComponentLinesMatchTheRfcExamples(string startLine, string host, string scheme, string identifier, string expectedLine)
    {
        var head = host.Length > 0 ? $"{startLine}\r\nHost: {host}\r\n\r\n" : $"{startLine}\r\n\r\n";
        var message = HttpFile.Parse(Encoding.ASCII.GetBytes(head));
        message = message.WithStartLine(startLine);
        var view = scheme.Length > 0 ? new HttpFileWithScheme(message, scheme) : (HttpMessageView)message;

        Assert.Equal(expectedLine, Line(view, identifier));
    }

    [Fact]
    public void QueryIsAQuestionMarkWhenTheTargetHasNone()
    {
        Assert.Equal("\"@query\": ?", Line(Request("GET /path HTTP/1.1"), "\"@query\""));
        Assert.Equal("\"@query\": ?", Line(Request("GET /path? HTTP/1.1"), "\"@query\""));
    }

    [Fact]
    public void EmptyPathIsASlash() =>
        Assert.Equal("\"@path\": /", Line(Request("GET https://www.example.com HTTP/1.1"), "\"@path\""));

    [Fact]
    public void AuthorityIsLowercasedWithoutTheDefaultPort()
    {
        Assert.Equal("\"@authority\": www.example.com", Line(Request("GET / HTTP/1.1", "WWW.Example.com:443"), "\"@authority\""));
        Assert.Equal("\"@authority\": www.example.com:8443", Line(Request("GET / HTTP/1.1", "www.example.com:8443"), "\"@authority\""));
    }

    [Fact]
    public void PlainFieldValuesAreTrimmedAndCombined()
    {
        var message = Fields(
            "X-OWS-Header:   Leading and trailing whitespace.   ",
            "X-Obs-Fold-Header: Obsolete\r\n    line folding.",
            "Cache-Control: max-age=60",
            "Cache-Control:    must-revalidate",
            "Example-Dict:  a=1,    b=2;x=1;y=2,   c=(a   b   c)",
            "X-Empty-Header: ");

        Assert.Equal("\"x-ows-header\": Leading and trailing whitespace.", Line(message, "\"x-ows-header\""));
        Assert.Equal("\"x-obs-fold-header\": Obsolete line folding.", Line(message, "\"x-obs-fold-header\""));
        Assert.Equal("\"cache-control\": max-age=60, must-revalidate", Line(message, "\"cache-control\""));
        Assert.Equal("\"example-dict\": a=1,    b=2;x=1;y=2,   c=(a   b   c)", Line(message, "\"example-dict\""));
        Assert.Equal("\"x-empty-header\": ", Line(message, "\"x-empty-header\""));
    }

    [Fact]
    public void StructuredFieldsAreReserialized()
    {
        var message = Fields("Example-Dict:  a=1,    b=2;x=1;y=2,   c=(a   b   c)");
        Assert.Equal("\"example-dict\";sf: a=1, b=2;x=1;y=2, c=(a b c)", Line(message, "\"example-dict\";sf"));
    }

    [Fact]
    public void DictionaryMembersAreSelectedByKey()
    {
        var message = Fields("Example-Dict:  a=1, b=2;x=1;y=2, c=(a   b    c), d");
        Assert.Equal("\"example-dict\";key=\"a\": 1", Line(message, "\"example-dict\";key=\"a\""));
        Assert.Equal("\"example-dict\";key=\"d\": ?1", Line(message, "\"example-dict\";key=\"d\""));
        Assert.Equal("\"example-dict\";key=\"b\": 2;x=1;y=2", Line(message, "\"example-dict\";key=\"b\""));
        Assert.Equal("\"example-dict\";key=\"c\": (a b c)", Line(message, "\"example-dict\";key=\"c\""));
        Assert.Null(Line(message, "\"example-dict\";key=\"e\""));
    }

    [Fact]
    public void BinaryWrappedFieldsKeepTheirLines()
    {
        var two = Fields("Example-Header: value, with, lots", "Example-Header: of, commas");
        var one = Fields("Example-Header: value, with, lots, of, commas");

        Assert.Equal("\"example-header\": value, with, lots, of, commas", Line(two, "\"example-header\""));
        Assert.Equal("\"example-header\": value, with, lots, of, commas", Line(one, "\"example-header\""));
        Assert.Equal("\"example-header\";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:", Line(two, "\"example-header\";bs"));
        Assert.Equal("\"example-header\";bs: :dmFsdWUsIHdpdGgsIGxvdHMsIG9mLCBjb21tYXM=:", Line(one, "\"example-header\";bs"));
    }

    [Fact]
    public void SignatureParamsValueMatchesTheRfcExample()
    {
        const string value = "(\"@target-uri\" \"@authority\" \"date\" \"cache-control\");keyid=\"test-key-rsa-pss\";alg=\"rsa-pss-sha512\";created=1618884475;expires=1618884775";
        var message = Fields(
            "Date: Tue, 20 Apr 2021 02:07:56 GMT", "Cache-Control: max-age=60");
        Assert.True(SfParser.TryParseList(value, out var list));

        Assert.True(HttpSignatures.TryCreateBase(message, list[0].InnerList!, list[0].Parameters, out var signatureBase, out var error), error);

        Assert.EndsWith("\"@signature-params\": " + value, Encoding.ASCII.GetString(signatureBase), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"Date\"")] // uppercase name
    [InlineData("\"x-missing\"")] // absent field
    [InlineData("\"date\";tr")] // trailers are not supported
    [InlineData("\"date\";unknown")] // parameters not understood
    [InlineData("\"date\";bs;sf")] // bs goes with neither sf nor key
    [InlineData("\"@status\"")] // a response component on a request
    [InlineData("\"@method\";req")] // req on a request
    [InlineData("\"@signature-params\"")] // cannot be covered
    [InlineData("\"@unknown\"")]
    [InlineData("\"@method\";sf")]
    [InlineData("\"@query-param\"")] // needs a name
    [InlineData("\"@query-param\";name=\"missing\"")]
    [InlineData("\"@query-param\";name=\"a\"")] // repeated parameter
    [InlineData("\"date\";sf")] // not a structured field
    [InlineData("\"\"")]
    public void BaseCreationFailsWhereTheRfcSaysItMust(string identifier)
    {
        var message = HttpFile.Parse(Encoding.ASCII.GetBytes("GET /p?a=1&a=2 HTTP/1.1\r\nHost: example.com\r\nDate: Tue, 20 Apr 2021 02:07:56 GMT\r\n\r\n"));
        Assert.Null(Line(message, identifier));
    }

    [Fact]
    public void RepeatedComponentFailsTheBase()
    {
        var message = Request("GET / HTTP/1.1");
        Assert.True(SfParser.TryParseList("(\"@method\" \"@method\")", out var list));
        Assert.False(HttpSignatures.TryCreateBase(message, list[0].InnerList!, list[0].Parameters, out _, out _));
    }

    [Fact]
    public void HeaderWithALineBreakFailsTheBase()
    {
        var message = Fields("X-Evil: a").WithField("X-Evil", "a\n\"@method\": GET");
        Assert.Null(Line(message, "\"x-evil\""));
    }

    [Fact]
    public void QueryParametersAreDecodedAndReencoded()
    {
        Assert.Equal("bat-man", QueryParameters.TryGetValue("baz=bat%2Dman", "baz", out var value) ? value : null);
        Assert.Equal("a%20b", QueryParameters.TryGetValue("q=a+b", "q", out value) ? value : null);
        Assert.Equal("%25zz", QueryParameters.TryGetValue("q=%zz", "q", out value) ? value : null);
        Assert.Equal("", QueryParameters.TryGetValue("q", "q", out value) ? value : null);
    }

    private static string? Line(HttpMessageView message, string identifier)
    {
        Assert.True(SfParser.TryParseItem(identifier, out var item));
        if (!HttpSignatures.TryCreateBase(message, [item], SfParameters.Empty, out var signatureBase, out _))
        {
            return null;
        }

        var text = Encoding.Latin1.GetString(signatureBase);
        return text[..text.LastIndexOf('\n')];
    }

    private static HttpFile Request(string startLine, string host = "www.example.com") =>
        HttpFile.Parse(Encoding.ASCII.GetBytes($"{startLine}\r\nHost: {host}\r\n\r\n"));

    private static HttpFile Fields(params string[] lines) =>
        HttpFile.Parse(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: www.example.com\r\n{string.Join("\r\n", lines)}\r\n\r\n"));

    private sealed class HttpFileWithScheme(HttpFile inner, string scheme) : HttpMessageView
    {
        public override bool IsRequest => inner.IsRequest;
        public override string? Method => inner.Method;
        public override string? Scheme => scheme;
        public override string? Authority => inner.Header("host") is { } host ? NormalizeAuthority(host, scheme) : null;
        public override string? RequestTarget => inner.RequestTarget;
        public override string? Path => inner.Path;
        public override string? RawQuery => inner.RawQuery;
        public override int? Status => inner.Status;

        public override bool TryGetFieldLines(string name, out Microsoft.Extensions.Primitives.StringValues lines) =>
            inner.TryGetFieldLines(name, out lines);
    }
}
