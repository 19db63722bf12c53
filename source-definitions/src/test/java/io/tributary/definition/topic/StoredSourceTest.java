package io.tributary.definition.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A topic key is {@code <organization>/<id>}; it is split the same way whether or not its value can be read. */
class StoredSourceTest {

    @Test
    void aKeyNamesItsOrganizationAndSourceId() {
        assertThat(StoredSource.organizationOf("acme/music")).isEqualTo("acme");
        assertThat(StoredSource.sourceIdOf("acme/music")).isEqualTo("music");
        assertThat(StoredSource.organizationOf("no-slash")).isEmpty();
        assertThat(StoredSource.sourceIdOf("no-slash")).isEqualTo("no-slash");
    }
}
