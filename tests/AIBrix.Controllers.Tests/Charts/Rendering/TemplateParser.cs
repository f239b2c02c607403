using System.Globalization;

namespace AIBrix.Controllers.Tests.Charts.Rendering;

/// <summary>
/// Parses one template file into nodes and collects its <c>define</c>s. Unknown functions fail at parse time, as in Go
/// ("function X not defined"), so a typo in the chart fails every render rather than only the branch that runs it.
/// </summary>
internal sealed class TemplateParser
{
    private readonly List<TemplatePiece> _pieces;
    private readonly string _name;
    private readonly Func<string, bool> _isFunction;
    private readonly Dictionary<string, NamedTemplate> _defines;
    private int _next;

    private TemplateParser(string source, string name, Func<string, bool> isFunction, Dictionary<string, NamedTemplate> defines)
    {
        _pieces = TemplateLexer.Split(source, name);
        _name = name;
        _isFunction = isFunction;
        _defines = defines;
    }

    /// <summary>Parses <paramref name="source"/>; its <c>define</c>s are added to <paramref name="defines"/>.</summary>
    public static List<TemplateNode> Parse(string source, string name, Func<string, bool> isFunction, Dictionary<string, NamedTemplate> defines)
    {
        var parser = new TemplateParser(source, name, isFunction, defines);
        var (nodes, end) = parser.List();
        if (end is not null)
        {
            throw parser.Error(end.Line, $"unexpected {{{{{end.Text}}}}}");
        }

        return nodes;
    }

    /// <summary>Nodes up to an <c>else</c> or <c>end</c> (returned) or the end of the file (null).</summary>
    private (List<TemplateNode> Nodes, TemplatePiece? Stop) List()
    {
        var nodes = new List<TemplateNode>();
        while (_next < _pieces.Count)
        {
            var piece = _pieces[_next++];
            if (!piece.IsAction)
            {
                nodes.Add(new TextNode(piece.Text, piece.Line));
                continue;
            }

            var tokens = TemplateLexer.Tokens(piece.Text, $"{_name}:{piece.Line}");
            string keyword = tokens.Count > 0 && tokens[0].Kind == TokenKind.Identifier ? tokens[0].Text : "";
            switch (keyword)
            {
                case "end" or "else":
                    return (nodes, piece);
                case "if" or "with" or "range":
                    nodes.Add(Branch(keyword, tokens[1..], piece.Line));
                    break;
                case "define":
                    Define(tokens, piece.Line);
                    break;
                case "template":
                    nodes.Add(CallTemplate(tokens, piece.Line));
                    break;
                case "block" or "break" or "continue":
                    throw Error(piece.Line, $"'{keyword}' is not supported by this renderer: keep the chart to the constructs it implements");
                default:
                    nodes.Add(new ActionNode(Pipe(tokens, piece.Line), piece.Line));
                    break;
            }
        }

        return (nodes, null);
    }

    private BranchNode Branch(string keyword, List<TemplateToken> tokens, int line)
    {
        var pipeline = Pipe(tokens, line);
        var (body, stop) = List();
        if (stop is null)
        {
            throw Error(line, $"unexpected EOF: {keyword} without end");
        }

        if (stop.Text == "end")
        {
            return new BranchNode(keyword, pipeline, body, null, line);
        }

        var elseTokens = TemplateLexer.Tokens(stop.Text, $"{_name}:{stop.Line}");
        if (elseTokens.Count > 1)
        {
            // "else if x" / "else with x": a nested branch that shares the outer one's end.
            string nested = elseTokens[1].Text;
            if (nested is not ("if" or "with") || keyword == "range")
            {
                throw Error(stop.Line, $"unexpected \"{stop.Text}\"");
            }

            return new BranchNode(keyword, pipeline, body, [Branch(nested, elseTokens[2..], stop.Line)], line);
        }

        var (otherwise, end) = List();
        if (end is null || end.Text != "end")
        {
            throw Error(stop.Line, $"expected end after else in {keyword}");
        }

        return new BranchNode(keyword, pipeline, body, otherwise, line);
    }

    private void Define(List<TemplateToken> tokens, int line)
    {
        if (tokens.Count != 2 || tokens[1].Kind != TokenKind.String)
        {
            throw Error(line, "define needs one quoted name");
        }

        var (body, stop) = List();
        if (stop is null || stop.Text != "end")
        {
            throw Error(line, $"define \"{tokens[1].Text}\" without end");
        }

        _defines[tokens[1].Text] = new NamedTemplate(_name, body);
    }

    private CallTemplateNode CallTemplate(List<TemplateToken> tokens, int line)
    {
        if (tokens.Count < 2 || tokens[1].Kind != TokenKind.String)
        {
            throw Error(line, "template needs a quoted name");
        }

        return new CallTemplateNode(tokens[1].Text, tokens.Count > 2 ? Pipe(tokens[2..], line) : null, line);
    }

    private Pipeline Pipe(List<TemplateToken> tokens, int line)
    {
        var variables = new List<string>();
        bool declares = false;
        int i = 0;
        int assign = tokens.FindIndex(t => t.Kind is TokenKind.Declare or TokenKind.Assign);
        if (assign > 0 && tokens.Take(assign).All(t => t.Kind is TokenKind.Variable or TokenKind.Comma))
        {
            variables.AddRange(tokens.Take(assign).Where(t => t.Kind == TokenKind.Variable).Select(t => t.Text));
            declares = tokens[assign].Kind == TokenKind.Declare;
            i = assign + 1;
        }

        var commands = new List<Command>();
        var arguments = new List<Operand>();
        while (i < tokens.Count)
        {
            if (tokens[i].Kind == TokenKind.Pipe)
            {
                commands.Add(Finish(arguments, line));
                arguments = [];
                i++;
                continue;
            }

            arguments.Add(Operand(tokens, ref i, line));
        }

        commands.Add(Finish(arguments, line));
        return new Pipeline(variables, declares, commands);
    }

    private Command Finish(List<Operand> arguments, int line) =>
        arguments.Count == 0 ? throw Error(line, "missing value for command") : new Command(arguments);

    private Operand Operand(List<TemplateToken> tokens, ref int i, int line)
    {
        var token = tokens[i++];
        switch (token.Kind)
        {
            case TokenKind.String:
                return new LiteralOperand(token.Text);
            case TokenKind.Number:
                return new LiteralOperand(Number(token.Text, line));
            case TokenKind.Identifier:
                return token.Text switch
                {
                    "true" => new LiteralOperand(true),
                    "false" => new LiteralOperand(false),
                    "nil" => new LiteralOperand(null),
                    _ when _isFunction(token.Text) => new FunctionOperand(token.Text),
                    _ => throw Error(line, $"function \"{token.Text}\" not defined"),
                };
            case TokenKind.Dot:
                return new DotOperand([]);
            case TokenKind.Field:
                return new DotOperand([token.Text, .. Fields(tokens, ref i)]);
            case TokenKind.Variable:
                return new VariableOperand(token.Text, Fields(tokens, ref i));
            case TokenKind.LeftParen:
                int depth = 1, start = i;
                while (i < tokens.Count && depth > 0)
                {
                    depth += tokens[i].Kind switch { TokenKind.LeftParen => 1, TokenKind.RightParen => -1, _ => 0 };
                    i++;
                }

                if (depth != 0)
                {
                    throw Error(line, "unclosed left paren");
                }

                return new PipelineOperand(Pipe(tokens[start..(i - 1)], line), Fields(tokens, ref i));
            default:
                throw Error(line, $"unexpected \"{token.Text}\"");
        }
    }

    /// <summary>Field names written right after a term (<c>$x.a.b</c>, <c>(f).a</c>).</summary>
    private static string[] Fields(List<TemplateToken> tokens, ref int i)
    {
        var fields = new List<string>();
        while (i < tokens.Count && tokens[i].Kind == TokenKind.Field && tokens[i].Attached)
        {
            fields.Add(tokens[i++].Text);
        }

        return [.. fields];
    }

    /// <summary>Go's number constants: integers (decimal, 0x, 0o, 0b, leading-0 octal) are int, the rest float64.</summary>
    private object Number(string text, int line)
    {
        string digits = text.Replace("_", "", StringComparison.Ordinal);
        bool negative = digits.StartsWith('-');
        string body = digits.TrimStart('-', '+');
        try
        {
            long? value = body.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? Convert.ToInt64(body[2..], 16)
                : body.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? Convert.ToInt64(body[2..], 8)
                : body.StartsWith("0b", StringComparison.OrdinalIgnoreCase) ? Convert.ToInt64(body[2..], 2)
                : body.Length > 1 && body[0] == '0' && body.All(char.IsDigit) ? Convert.ToInt64(body, 8)
                : body.All(char.IsDigit) ? long.Parse(body, CultureInfo.InvariantCulture)
                : null;
            if (value is { } integer)
            {
                return negative ? -integer : integer;
            }

            return double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw Error(line, $"bad number syntax: \"{text}\"");
        }
    }

    private TemplateException Error(int line, string message) => new($"template: {_name}:{line}: {message}");
}

/// <summary>A <c>define</c>d template and the file it was defined in.</summary>
internal sealed record NamedTemplate(string File, List<TemplateNode> Body);
