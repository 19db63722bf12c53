package io.tributary.mapping.declarative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SourcePathTest {

    private static final JsonNode RECORD = JsonMapper.builder().build().readTree("""
            {"id": "r1", "a": {"b": {"c": 7}}, "list": [{"x": 1}, {"x": 2}, {"y": 3}], "a.b": "dotted",
             "n": null, "m": [[1, 2], [3]]}""");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "ABSENT", textBlock = """
            id              | "r1"
            a.b.c           | 7
            $.a.b.c         | 7
            $               | FULL
            list[1].x       | 2
            list[*].x       | [1,2,null]
            ['a.b']         | "dotted"
            a['b'].c        | 7
            a["b"].c        | 7
            m[0][1]         | 2
            m[*][0]         | [1,3]
            n               | ABSENT
            missing.deeper  | ABSENT
            list[9]         | ABSENT
            list.x          | ABSENT
            id.x            | ABSENT
            a[0]            | ABSENT
            """)
    void reads(String path, String expected) {
        JsonNode value = SourcePath.parse(path).read(RECORD);
        if (expected == null) {
            assertThat(value).isNull();
        } else if (expected.equals("FULL")) {
            assertThat(value).isSameAs(RECORD);
        } else {
            assertThat(value).isNotNull();
            assertThat(value.toString()).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''         | must not be empty
            a.         | ends with '.'
            a..b       | empty name
            'a[1'      | never closed
            'a[-1]'    | neither an index
            'a[x]'     | neither an index
            'a[0]b'    | expected '.' or '['
            $x         | expected '.' or '['
            """)
    void refusesMalformedPaths(String path, String reason) {
        assertThatThrownBy(() -> SourcePath.parse(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
