package io.tributary.mapping.declarative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Definitions that cannot be used: each problem is reported with its JSON path. */
class MappingParserTest {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final String HEAD = "{key: id, version: {source: v, format: integer}, fields: {id: {type: string, source: id, required: true}, ";

    static Stream<Arguments> problems() {
        return Stream.of(
                Arguments.of(HEAD + "f: {type: text, source: a}}}", "$.fields.f.type", "unknown type 'text'"),
                Arguments.of(HEAD + "f: {type: string, sorce: a}}}", "$.fields.f.sorce", "unknown property"),
                Arguments.of(HEAD + "f: {type: string}}}", "$.fields.f", "needs a 'source', a 'default' or a transform"),
                Arguments.of(HEAD + "f: {source: a}}}", "$.fields.f", "'type' is required"),
                Arguments.of(HEAD + "f: {type: string, source: 'a..b'}}}", "$.fields.f.source", "empty name"),
                Arguments.of(HEAD + "f: {type: string, source: a, required: maybe}}}", "$.fields.f.required", "expected true or false"),
                Arguments.of(HEAD + "f: {type: string, source: a, items: {x: {type: string, source: x}}}}}", "$.fields.f",
                        "'items' and 'itemType' apply to an array"),
                Arguments.of(HEAD + "f: {type: array, source: a, items: {x: {type: strin, source: x}}}}}", "$.fields.f.items.x.type",
                        "unknown type 'strin'"),
                Arguments.of(HEAD + "f: {type: object, source: a, properties: {x: {type: string, source: 'x[', required: true}}}}}",
                        "$.fields.f.properties.x.source", "never closed"),
                Arguments.of(HEAD + "f: {type: string, source: a, transforms: [trim, reverse]}}}", "$.fields.f.transforms[1]",
                        "unknown transform 'reverse'"),
                Arguments.of(HEAD + "f: {type: string, source: a, transforms: [{op: regex, pattern: '(a'}]}}}",
                        "$.fields.f.transforms[0].pattern", "not a valid regular expression"),
                Arguments.of(HEAD + "f: {type: string, source: a, transforms: [{op: regex, pattern: '(a)', group: 2}]}}}",
                        "$.fields.f.transforms[0].group", "there is no group 2"),
                Arguments.of(HEAD + "f: {type: string, source: a, transforms: [{op: date, formats: [iso-instant, 'yyyy-MM-dd QQQQQQ']}]}}}",
                        "$.fields.f.transforms[0].formats[1]", "nor a valid pattern"),
                Arguments.of(HEAD + "f: {type: string, source: a, transforms: [{op: date, zone: Mars/Olympus}]}}}",
                        "$.fields.f.transforms[0].zone", "is not a time zone"),
                Arguments.of(HEAD + "f: {type: string, source: a, transforms: [{op: lookup, table: {}}]}}}",
                        "$.fields.f.transforms[0].table", "non-empty object"),
                Arguments.of(HEAD + "f: {type: string, source: a, transforms: [{op: lookup, table: {a: b}, onMissing: ignore}]}}}",
                        "$.fields.f.transforms[0].onMissing", "is not one of [error, keep, null]"),
                Arguments.of(HEAD + "f: {type: string, source: a, transforms: [{op: concat}]}}}",
                        "$.fields.f.transforms[0].sources", "non-empty array"),
                Arguments.of(HEAD + "f: {type: string, source: a, transforms: [{op: constant}]}}}",
                        "$.fields.f.transforms[0]", "'value' is required"),
                Arguments.of(HEAD + "f: {type: string, source: a, transforms: [regex]}}}",
                        "$.fields.f.transforms[0]", "needs parameters"),
                Arguments.of(HEAD + "'my field': {type: nope, source: a}}}", "$.fields['my field'].type", "unknown type"),
                Arguments.of("{key: id, version: {source: v, format: 'QQQQQQ'}, fields: {id: {type: string, source: id, required: true}}}",
                        "$.version.format", "is neither 'integer'"),
                Arguments.of("{key: nope, version: {source: v, format: integer}, fields: {id: {type: string, source: id, required: true}}}",
                        "$.key", "not one of the fields [id]"),
                Arguments.of("{key: id, version: {source: v, format: integer}, fields: {id: {type: integer, source: id, required: true}}}",
                        "$.key", "must be a required string"),
                Arguments.of("{key: id, fields: {id: {type: string, source: id, required: true}}}", "$", "'version' is required"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource
    void problems(String definition, String path, String message) {
        InvalidMappingException e = catchThrowableOfType(InvalidMappingException.class,
                () -> MappingParser.parse(yaml(definition)));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.problems()).anySatisfy(problem -> {
            assertThat(problem.path()).isEqualTo(path);
            assertThat(problem.message()).contains(message);
        });
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        InvalidMappingException e = catchThrowableOfType(InvalidMappingException.class, () -> MappingParser.parse(yaml("""
                {key: id, version: {source: v, format: integer, zone: Nowhere/Land},
                 fields: {id: {type: string, source: id, required: true},
                          a: {type: bogus, source: x},
                          b: {type: string, source: y, transforms: [{op: regex, pattern: '['}]},
                          c: {type: array, source: z, items: {d: {type: integer}}}}}"""), "$.entities[0].mapping"));
        assertThat(e.problems()).extracting(MappingProblem::path).containsExactlyInAnyOrder(
                "$.entities[0].mapping.version.zone",
                "$.entities[0].mapping.fields.a.type",
                "$.entities[0].mapping.fields.b.transforms[0].pattern",
                "$.entities[0].mapping.fields.c.items.d");
        assertThat(e).hasMessageContaining("$.entities[0].mapping.fields.a.type: unknown type 'bogus'");
    }

    @Test
    void theKeyLeavesThePayloadAndTheVersionComesFromItsSource() {
        RecordMapping mapping = MappingParser.parse(yaml("""
                {key: externalId, version: {source: meta.rev, format: integer},
                 fields: {externalId: {type: string, source: id, required: true}, name: {type: string, source: name}}}"""));
        MappedRecord mapped = mapping.map(yaml("{id: 7, name: x, meta: {rev: '12'}}"));
        assertThat(mapped).isEqualTo(new MappedRecord("7", 12, java.util.Map.of("name", "x")));
        assertThatThrownBy(() -> mapping.map(yaml("{id: 7, meta: {rev: -1}}")))
                .isInstanceOf(MappingFailedException.class).hasMessage("field '$version': 'meta.rev' is number -1, a version below 0");
        assertThatThrownBy(() -> mapping.map(yaml("{id: 7, meta: {}}")))
                .hasMessage("field '$version': 'meta.rev' is missing");
        assertThatThrownBy(() -> mapping.map(yaml("{id: '  ', meta: {rev: 1}}")))
                .hasMessage("field 'externalId': the key is blank");
        assertThatThrownBy(() -> mapping.map(yaml("[1, 2]")))
                .hasMessage("field '$': the record is array, not a JSON object");
        RecordMapping dated = MappingParser.parse(yaml("""
                {key: id, version: {source: changed, format: 'dd.MM.yyyy HH:mm:ss', zone: 'Europe/Berlin'},
                 fields: {id: {type: string, source: id, required: true}}}"""));
        assertThat(dated.map(yaml("{id: a, changed: '21.11.2026 11:15:30'}")).sourceVersion())
                .isEqualTo(java.time.Instant.parse("2026-11-21T10:15:30Z").toEpochMilli());
        assertThatThrownBy(() -> dated.map(yaml("{id: a, changed: 'soon'}")))
                .hasMessageContaining("'changed' is not a version in format 'dd.MM.yyyy HH:mm:ss'");
    }

    private static JsonNode yaml(String text) {
        return YAML.readTree(text);
    }

    @Test
    void coercionIsSetPerMappingAndOverriddenPerField() {
        RecordMapping strict = MappingParser.parse(yaml("""
                {key: id, version: {source: v, format: integer}, coerce: false,
                 fields: {id: {type: string, source: id, required: true},
                          n: {type: integer, source: n},
                          m: {type: integer, source: m, coerce: true}}}"""));
        assertThat(strict.map(yaml("{id: a, v: 1, n: 2, m: '3'}")).payload()).containsEntry("n", 2L).containsEntry("m", 3L);
        assertThatThrownBy(() -> strict.map(yaml("{id: a, v: 1, n: '2'}")))
                .isInstanceOf(MappingFailedException.class).hasMessage("field 'n': (from 'n') expected integer, got string \"2\"");
        assertThatThrownBy(() -> strict.map(yaml("{id: 7, v: 1}")))
                .hasMessage("field 'id': (from 'id') expected string, got number 7");
    }
}
