package io.tributary.mapping.declarative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One table per concern: each row is a field definition (as written in a source definition), a source
 * record, and the payload value expected (as JSON) or the failure expected (field path and reason).
 */
class FieldMappingTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    static Stream<Arguments> mapped() {
        return Stream.of(
                // nested paths, indexes, wildcards, quoted names, the record itself
                row("nested path", "{type: string, source: data.user.name}", "{data: {user: {name: Ada}}}", "'Ada'"),
                row("index", "{type: string, source: 'tags[1]'}", "{tags: [a, b]}", "'b'"),
                row("wildcard", "{type: array, source: 'tracks[*].title', itemType: string}",
                        "{tracks: [{title: One}, {title: Two}]}", "['One', 'Two']"),
                row("quoted name with a dot", "{type: string, source: \"['a.b'].c\"}", "{'a.b': {c: x}}", "'x'"),
                row("$. prefix", "{type: integer, source: '$.n'}", "{n: 3}", "3"),
                // coercion (the default)
                row("number to string", "{type: string, source: n}", "{n: 42}", "'42'"),
                row("decimal to string", "{type: string, source: n}", "{n: 4.50}", "'4.5'"),
                row("boolean to string", "{type: string, source: b}", "{b: true}", "'true'"),
                row("string to integer", "{type: integer, source: n}", "{n: ' 42 '}", "42"),
                row("whole decimal to integer", "{type: integer, source: n}", "{n: 42.0}", "42"),
                row("string to number", "{type: number, source: n}", "{n: '19.99'}", "19.99"),
                row("whole number stays whole", "{type: number, source: n}", "{n: '7'}", "7"),
                row("yes to boolean", "{type: boolean, source: b}", "{b: 'Yes'}", "true"),
                row("0 to boolean", "{type: boolean, source: b}", "{b: 0}", "false"),
                row("timestamp normalized to UTC", "{type: timestamp, source: t}", "{t: '2026-11-21T12:15:30+02:00'}",
                        "'2026-11-21T10:15:30Z'"),
                row("any copies a tree", "{type: any, source: x}", "{x: {a: [1, {b: null}]}}", "{a: [1, {b: null}]}"),
                // optional, defaults, required given as a string (the second brief writes "true")
                row("optional absent is null", "{type: string, source: missing}", "{}", "null"),
                row("optional JSON null is null", "{type: string, source: p}", "{p: null}", "null"),
                row("default when absent", "{type: string, source: c, default: EUR, required: true}", "{}", "'EUR'"),
                row("default when null", "{type: integer, source: c, default: 0}", "{c: null}", "0"),
                row("required as string 'false'", "{type: string, source: c, required: 'false'}", "{}", "null"),
                // transforms
                row("trim then upper", "{type: string, source: s, transforms: [trim, upper]}", "{s: '  ab c '}", "'AB C'"),
                row("lower", "{type: string, source: s, transforms: [lower]}", "{s: 'ÀBC'}", "'àbc'"),
                row("date with patterns, first fits", "{type: string, source: d, transforms: [{op: date, formats: ['dd/MM/yyyy HH:mm', 'yyyy-MM-dd'], zone: 'Europe/Paris'}]}",
                        "{d: '21/11/2026 11:15'}", "'2026-11-21T10:15:00Z'"),
                row("date with patterns, second fits", "{type: string, source: d, transforms: [{op: date, formats: ['dd/MM/yyyy HH:mm', 'yyyy-MM-dd']}]}",
                        "{d: '2026-11-21'}", "'2026-11-21T00:00:00Z'"),
                row("date from epoch seconds to millis", "{type: integer, source: d, transforms: [{op: date, formats: [epoch-seconds], output: epoch-millis}]}",
                        "{d: 1763720130}", "1763720130000"),
                row("date to calendar date", "{type: string, source: d, transforms: [{op: date, output: iso-date, zone: 'America/New_York'}]}",
                        "{d: '2026-11-21T03:00:00Z'}", "'2026-11-20'"),
                row("concat with the field's value", "{type: string, source: first, transforms: [{op: concat, sources: [last], separator: ' '}]}",
                        "{first: Ada, last: Lovelace}", "'Ada Lovelace'"),
                row("concat skips absent parts", "{type: string, transforms: [{op: concat, sources: [a, b, c], separator: '-'}]}",
                        "{a: x, c: 3}", "'x-3'"),
                row("constant", "{type: string, transforms: [{op: constant, value: music}]}", "{}", "'music'"),
                row("lookup", "{type: string, source: s, transforms: [{op: lookup, table: {A: active, D: deleted}}]}",
                        "{s: D}", "'deleted'"),
                row("lookup of a number", "{type: boolean, source: s, transforms: [{op: lookup, table: {'1': true, '0': false}}]}",
                        "{s: 1}", "true"),
                row("lookup default", "{type: string, source: s, transforms: [{op: lookup, table: {A: active}, default: other}]}",
                        "{s: Z}", "'other'"),
                row("lookup keep", "{type: string, source: s, transforms: [{op: lookup, table: {A: active}, onMissing: keep}]}",
                        "{s: Z}", "'Z'"),
                row("regex group 1 by default", "{type: integer, source: s, transforms: [{op: regex, pattern: 'id-(\\d+)'}]}",
                        "{s: 'track id-123 x'}", "123"),
                row("regex named group", "{type: string, source: s, transforms: [{op: regex, pattern: '(?<y>\\d{4})-\\d{2}', group: y}]}",
                        "{s: 'released 1969-09'}", "'1969'"),
                row("regex no match to null", "{type: string, source: s, transforms: [{op: regex, pattern: '\\d+', onNoMatch: 'null'}]}",
                        "{s: abc}", "null"),
                row("replace", "{type: string, source: s, transforms: [{op: replace, pattern: '\\s+', with: ' '}]}",
                        "{s: \"a  \\t b\"}", "'a b'"),
                // arrays and objects
                row("array of objects", "{type: array, source: tracks, items: {title: {type: string, source: name, required: true}, "
                                + "seconds: {type: integer, source: 'len.s'}}}",
                        "{tracks: [{name: One, len: {s: '61'}}, {name: Two}]}",
                        "[{title: One, seconds: 61}, {title: Two, seconds: null}]"),
                row("array copied as it is", "{type: array, source: xs}", "{xs: [1, 'a', null]}", "[1, 'a', null]"),
                row("object with properties", "{type: object, source: album, properties: {name: {type: string, source: title, transforms: [trim]}, "
                                + "year: {type: integer, source: released.year}}}",
                        "{album: {title: ' Abbey Road ', released: {year: 1969}}}", "{name: 'Abbey Road', year: 1969}"),
                row("object built from the record itself", "{type: object, source: '$', properties: {artist: {type: string, source: artist_name}}}",
                        "{artist_name: Nina}", "{artist: Nina}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void mapped(String name, String field, String record, String expected) {
        Object value = parseField(field).map(json(record), "f", true);
        assertThat(MAPPER.writeValueAsString(value)).isEqualTo(MAPPER.writeValueAsString(json(expected)));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                row("required missing", "{type: string, source: a.b, required: true}", "{a: {}}",
                        "field 'f': (from 'a.b') is required but missing or null"),
                row("required null (string 'true' as in the brief)", "{type: string, source: a, required: 'true'}", "{a: null}",
                        "field 'f': (from 'a') is required but missing or null"),
                row("not a number", "{type: integer, source: n}", "{n: 'abc'}", "field 'f': (from 'n') expected integer, got string \"abc\""),
                row("not whole", "{type: integer, source: n}", "{n: 1.5}", "expected integer, got number 1.5 (not whole or out of range)"),
                row("object for a string", "{type: string, source: o}", "{o: {x: 1}}", "expected string, got object"),
                row("strict string", "{type: string, source: n, coerce: false}", "{n: 5}", "expected string, got number 5"),
                row("strict boolean", "{type: boolean, source: b, coerce: false}", "{b: 'true'}", "expected boolean, got string \"true\""),
                row("not a boolean", "{type: boolean, source: b}", "{b: maybe}", "expected boolean, got string \"maybe\""),
                row("not a timestamp", "{type: timestamp, source: t}", "{t: yesterday}", "'yesterday' is not an ISO-8601 instant"),
                row("not an array", "{type: array, source: a}", "{a: 1}", "field 'f': (from 'a') expected array, got number 1"),
                row("element not an object", "{type: array, source: a, items: {x: {type: string, source: x}}}", "{a: [{x: y}, 3]}",
                        "field 'f[1]': (from 'a') expected object, got number 3"),
                row("nested element field", "{type: array, source: a, items: {x: {type: string, source: x, required: true}}}",
                        "{a: [{x: y}, {z: 1}]}", "field 'f[1].x': (from 'x') is required but missing or null"),
                row("nested property", "{type: object, source: o, properties: {p: {type: integer, source: deep.p}}}",
                        "{o: {deep: {p: nope}}}", "field 'f.p': (from 'deep.p') expected integer, got string \"nope\""),
                row("scalar element", "{type: array, source: a, itemType: integer}", "{a: [1, x]}",
                        "field 'f[1]': (from 'a') expected integer, got string \"x\""),
                row("no date format fits", "{type: string, source: d, transforms: [{op: date, formats: ['dd/MM/yyyy']}]}", "{d: '2026-11-21'}",
                        "date: string \"2026-11-21\" matches none of the formats [dd/MM/yyyy]"),
                row("lookup miss", "{type: string, source: s, transforms: [{op: lookup, table: {A: a, B: b}}]}", "{s: C}",
                        "lookup: string \"C\" is not in the table [A, B]"),
                row("regex miss", "{type: string, source: s, transforms: [{op: regex, pattern: '\\d+'}]}", "{s: abc}",
                        "regex: string \"abc\" does not match /\\d+/"),
                row("concat of an object", "{type: string, source: s, transforms: [{op: concat, sources: [o]}]}", "{s: a, o: {}}",
                        "concat: 'o' is object, not a scalar"),
                row("computed null required", "{type: string, required: true, transforms: [{op: concat, sources: [a]}]}", "{}",
                        "field 'f': is required but was computed as null"),
                row("long values are shortened", "{type: integer, source: s}", "{s: '" + "9".repeat(100) + "x'}", "…(103 chars)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refused(String name, String field, String record, String reason) {
        FieldMapping mapping = parseField(field);
        assertThatThrownBy(() -> mapping.map(json(record), "f", true))
                .isInstanceOf(MappingFailedException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((MappingFailedException) e).fieldPath()).startsWith("f"));
    }

    /** A value that stands for personal data: it may be in the log and the dead letter, never in a status. */
    private static final String PERSONAL = "ada@example.org";

    static Stream<Arguments> refusedWithoutValues() {
        return Stream.of(
                row("type mismatch", "{type: integer, source: n}", "{n: '" + PERSONAL + "'}",
                        "(from 'n') expected integer, got string"),
                row("not whole", "{type: integer, source: n}", "{n: 987654.5}",
                        "(from 'n') expected integer, got number (not whole or out of range)"),
                row("not a timestamp", "{type: timestamp, source: t}", "{t: '" + PERSONAL + "'}",
                        "(from 't') a string that is not an ISO-8601 instant"),
                row("not an array", "{type: array, source: a}", "{a: 987654}", "(from 'a') expected array, got number"),
                row("not an object", "{type: object, source: a}", "{a: '" + PERSONAL + "'}",
                        "(from 'a') expected object, got string"),
                row("element not an object", "{type: array, source: a, items: {x: {type: string, source: x}}}",
                        "{a: [987654]}", "(from 'a') expected object, got number"),
                row("scalar element", "{type: array, source: a, itemType: integer}", "{a: ['" + PERSONAL + "']}",
                        "(from 'a') expected integer, got string"),
                row("no date format fits", "{type: string, source: d, transforms: [{op: date, formats: ['dd/MM/yyyy']}]}",
                        "{d: '" + PERSONAL + "'}", "(from 'd') date: a string that matches none of the formats [dd/MM/yyyy]"),
                row("lookup miss", "{type: string, source: s, transforms: [{op: lookup, table: {A: a}}]}",
                        "{s: '" + PERSONAL + "'}", "(from 's') lookup: a string that is not in the table"),
                row("regex miss", "{type: string, source: s, transforms: [{op: regex, pattern: '\\d+'}]}",
                        "{s: '" + PERSONAL + "'}", "(from 's') regex: a string that does not match /\\d+/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusedWithoutValues(String name, String field, String record, String withoutValues) {
        FieldMapping mapping = parseField(field);
        assertThatThrownBy(() -> mapping.map(json(record), "f", true))
                .isInstanceOfSatisfying(MappingFailedException.class, e -> {
                    assertThat(e.reasonWithoutValues()).isEqualTo(withoutValues);
                    assertThat(e.reason()).as("the log and the dead letter still quote the value")
                            .containsAnyOf(PERSONAL, "987654");
                });
    }

    @org.junit.jupiter.api.Test
    void aRecordOrVersionRefusedWithoutValues() {
        RecordMapping mapping = MappingParser.parse(json("{key: id, version: {source: v, format: iso-instant},"
                + " fields: {id: {type: string, source: id, required: true}}}"));
        assertThatThrownBy(() -> mapping.map(MAPPER.getNodeFactory().stringNode(PERSONAL)))
                .isInstanceOfSatisfying(MappingFailedException.class, e -> assertThat(e.reasonWithoutValues())
                        .isEqualTo("the record is string, not a JSON object"));
        assertThatThrownBy(() -> mapping.map(json("{id: x, v: '" + PERSONAL + "'}")))
                .isInstanceOfSatisfying(MappingFailedException.class, e -> {
                    assertThat(e.fieldPath()).isEqualTo("$version");
                    assertThat(e.reason()).contains(PERSONAL);
                    assertThat(e.reasonWithoutValues()).isEqualTo("'v' is not a version in format 'iso-instant': "
                            + "date: a string that matches none of the formats [iso-instant]");
                });
    }

    private static Arguments row(String name, String field, String record, String expected) {
        return Arguments.of(name, field, record, expected);
    }

    /** Parses one field through a whole mapping, as a definition would carry it. */
    static FieldMapping parseField(String field) {
        JsonNode definition = json("{key: id, version: {source: v, format: integer}, fields: {id: {type: string, source: id, required: true}, f: "
                + field + "}}");
        return MappingParser.parse(definition).fields().get("f");
    }

    /** YAML flow style (unquoted names and values, single quotes) keeps the tables readable. */
    static JsonNode json(String yaml) {
        return YAML.readTree(yaml);
    }
}
