package io.tributary.poller.rest.pagination.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkHeaderParseTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            <https://a.test/p?page=2>; rel="next"                                  | https://a.test/p?page=2 | next
            <https://a.test/p?page=2>; rel=next                                    | https://a.test/p?page=2 | next
            <https://a.test/p?page=2>; REL="Next"                                  | https://a.test/p?page=2 | next
            <https://a.test/1>; rel="prev", <https://a.test/3>; rel="next"         | https://a.test/3        | next
            <https://a.test/9>; rel="last", </p?cursor=abc%2C>; rel="next"        | /p?cursor=abc%2C        | next
            <https://a.test/3>; title="a, b; c"; rel="next"                        | https://a.test/3        | next
            <https://a.test/3>; rel="prev next"                                    | https://a.test/3        | next
            <https://a.test/3>; rel="next"; rel="prev"                             | https://a.test/3        | next
            <https://a.test/1>; rel="prev"                                         | NONE                    | next
            <https://a.test/3>; rel="next-page"                                    | NONE                    | next
            """)
    void findsTheNextLink(String header, String expected, String rel) {
        List<LinkHeaderStrategy.Link> links = LinkHeaderStrategy.parse(header);
        String found = links.stream().filter(link -> link.rels().contains(rel)).map(LinkHeaderStrategy.Link::target)
                .findFirst().orElse("NONE");
        assertThat(found).isEqualTo(expected);
    }
}
