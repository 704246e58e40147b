package dev.opsflow.hardware.redfish.testing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A {@code $filter} expression as DSP0266 7.3.3 defines it: property paths ({@code Status/State}),
 * literals (single-quoted strings with {@code ''} for a quote, numbers, {@code true}, {@code
 * false}, {@code null}), {@code eq ne gt ge lt le}, {@code not}, {@code and}, {@code or} and
 * parentheses, with DSP0266's precedence (grouping, negation, relational, equality, and, or).
 *
 * <p>Parsing throws {@link Invalid} for a malformed expression (400) and {@link Unsupported} for
 * OData that DSP0266 leaves out (functions, {@code has}, {@code in}, arithmetic: 501). Evaluating
 * throws {@link Invalid} when a literal's type does not match the property's (DSP0266: the service
 * should reject those with 400); an absent property is {@code null}.
 */
final class RedfishFilter {
  private static final Set<String> UNSUPPORTED_OPERATORS =
      Set.of("has", "in", "add", "sub", "mul", "div", "divby", "mod");

  /** A malformed expression or a literal of the wrong type. */
  static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message);
    }
  }

  /** Valid OData that DSP0266 does not include. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String message) {
      super(message);
    }
  }

  private sealed interface Node permits Literal, Property, Not, Binary {}

  private record Literal(Object value) implements Node {}

  private record Property(List<String> path) implements Node {}

  private record Not(Node operand) implements Node {}

  private record Binary(String operator, Node left, Node right) implements Node {}

  private final Node root;

  private RedfishFilter(Node root) {
    this.root = root;
  }

  /** Parses {@code expression}. */
  static RedfishFilter parse(String expression) {
    var parser = new Parser(tokens(expression));
    Node root = parser.or();
    if (parser.position < parser.tokens.size()) {
      throw new Invalid("unexpected '" + parser.tokens.get(parser.position) + "'");
    }
    return new RedfishFilter(root);
  }

  /** Whether {@code resource} matches. */
  boolean matches(JsonNode resource) {
    return Boolean.TRUE.equals(evaluate(root, resource));
  }

  private static Object evaluate(Node node, JsonNode resource) {
    if (node instanceof Literal l) {
      return l.value();
    }
    if (node instanceof Property p) {
      return value(p.path(), resource);
    }
    if (node instanceof Not n) {
      return !bool(evaluate(n.operand(), resource), "not");
    }
    return binary((Binary) node, resource);
  }

  private static Object binary(Binary b, JsonNode resource) {
    Object left = evaluate(b.left(), resource);
    if (b.operator().equals("and")) {
      return bool(left, "and") && bool(evaluate(b.right(), resource), "and");
    }
    if (b.operator().equals("or")) {
      return bool(left, "or") || bool(evaluate(b.right(), resource), "or");
    }
    Object right = evaluate(b.right(), resource);
    if (left != null && right != null && left.getClass() != right.getClass()) {
      throw new Invalid(
          "the value "
              + describe(b.right() instanceof Literal ? right : left)
              + " is of a different type than the property it is compared with");
    }
    return switch (b.operator()) {
      case "eq" -> equal(left, right);
      case "ne" -> !equal(left, right);
      default -> {
        if (left == null || right == null) {
          yield false;
        }
        if (left instanceof Boolean) {
          throw new Invalid("'" + b.operator() + "' does not compare boolean values");
        }
        int c = compare(left, right);
        yield switch (b.operator()) {
          case "gt" -> c > 0;
          case "ge" -> c >= 0;
          case "lt" -> c < 0;
          default -> c <= 0;
        };
      }
    };
  }

  private static boolean equal(Object left, Object right) {
    if (left == null || right == null) {
      return left == right;
    }
    return compare(left, right) == 0;
  }

  @SuppressWarnings("unchecked")
  private static int compare(Object left, Object right) {
    return ((Comparable<Object>) left).compareTo(right);
  }

  private static boolean bool(Object value, String operator) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw new Invalid("'" + operator + "' needs a boolean operand, not " + describe(value));
  }

  private static String describe(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }

  /** A property's value as a String, BigDecimal, Boolean or null (objects and arrays too). */
  private static Object value(List<String> path, JsonNode resource) {
    JsonNode node = resource;
    for (String segment : path) {
      node = node.path(segment);
    }
    if (node.isString()) {
      return node.asString();
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isContainer()) {
      throw new Invalid(
          "the property " + String.join("/", path) + " is an object or array, not a value");
    }
    return null;
  }

  private static List<String> tokens(String s) {
    var tokens = new ArrayList<String>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        tokens.add(String.valueOf(c));
        i++;
      } else if (c == '\'') {
        var b = new StringBuilder("'");
        i++;
        while (true) {
          if (i >= s.length()) {
            throw new Invalid("a string literal is not closed");
          }
          if (s.charAt(i) == '\'') {
            if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
              b.append('\'');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          b.append(s.charAt(i++));
        }
        tokens.add(b.toString());
      } else {
        int start = i;
        while (i < s.length()
            && !Character.isWhitespace(s.charAt(i))
            && "()'".indexOf(s.charAt(i)) < 0) {
          i++;
        }
        tokens.add(s.substring(start, i));
      }
    }
    return tokens;
  }

  /** Recursive descent, one method a precedence level. */
  private static final class Parser {
    final List<String> tokens;
    int position;

    Parser(List<String> tokens) {
      this.tokens = tokens;
    }

    private String peek() {
      return position < tokens.size() ? tokens.get(position) : null;
    }

    private boolean accept(String... operators) {
      String next = peek();
      for (String o : operators) {
        if (o.equals(next)) {
          position++;
          return true;
        }
      }
      return false;
    }

    Node or() {
      Node left = and();
      while (accept("or")) {
        left = new Binary("or", left, and());
      }
      return left;
    }

    private Node and() {
      Node left = equality();
      while (accept("and")) {
        left = new Binary("and", left, equality());
      }
      return left;
    }

    private Node equality() {
      Node left = relational();
      while (Set.of("eq", "ne").contains(String.valueOf(peek()))) {
        String op = tokens.get(position++);
        left = new Binary(op, left, relational());
      }
      return left;
    }

    private Node relational() {
      Node left = unary();
      while (Set.of("gt", "ge", "lt", "le").contains(String.valueOf(peek()))) {
        String op = tokens.get(position++);
        left = new Binary(op, left, unary());
      }
      if (UNSUPPORTED_OPERATORS.contains(String.valueOf(peek()))) {
        throw new Unsupported("the operator '" + peek() + "'");
      }
      return left;
    }

    private Node unary() {
      if (accept("not")) {
        return new Not(unary());
      }
      String token = peek();
      if (token == null) {
        throw new Invalid("the expression ends where an operand is expected");
      }
      position++;
      if (token.equals("(")) {
        Node inner = or();
        if (!accept(")")) {
          throw new Invalid("a '(' is not closed");
        }
        return inner;
      }
      if (token.startsWith("'")) {
        return new Literal(token.substring(1));
      }
      return primary(token);
    }

    private Node primary(String token) {
      switch (token) {
        case "true", "false" -> {
          return new Literal(Boolean.parseBoolean(token));
        }
        case "null" -> {
          return new Literal(null);
        }
        case ")", "and", "or", "eq", "ne", "gt", "ge", "lt", "le" ->
            throw new Invalid("'" + token + "' where an operand is expected");
        default -> {
          // nothing
        }
      }
      if ("(".equals(peek())) {
        throw new Unsupported("the function '" + token + "'");
      }
      if (token.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
        return new Literal(new BigDecimal(token));
      }
      if (!token.matches("[A-Za-z_@][A-Za-z0-9_@.#]*(/[A-Za-z_@][A-Za-z0-9_@.#]*)*")) {
        throw new Invalid("'" + token + "' is neither a property path nor a literal");
      }
      return new Property(List.of(token.split("/")));
    }
  }
}
