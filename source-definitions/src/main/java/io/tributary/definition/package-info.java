/**
 * Declarative source definitions (issue 5): one external source of one organization as data — how to
 * reach it ({@link io.tributary.definition.Auth}), page through it ({@link io.tributary.definition.Pagination}),
 * read its records incrementally, map them ({@link io.tributary.mapping.declarative.RecordMapping}) and where
 * they land ({@link io.tributary.definition.Target}). {@link io.tributary.definition.SourceDefinitionLoader}
 * reads YAML or JSON, validates it against the published JSON Schema
 * ({@code docs/schema/source-definition.schema.json}) and the cross-field rules, and reports every problem
 * with its JSON path. A definition holds references to credentials ({@link io.tributary.definition.SecretRef}),
 * never credentials, so it can be logged, stored and returned as it is. No Spring.
 */
@NullMarked
package io.tributary.definition;

import org.jspecify.annotations.NullMarked;
