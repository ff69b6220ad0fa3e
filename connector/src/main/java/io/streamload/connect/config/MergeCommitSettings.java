package io.streamload.connect.config;

import java.time.Duration;

/**
 * What {@code load.mode=merge_commit} asks of a target that merges loads: StarRocks'
 * {@code merge_commit_interval_ms} and {@code merge_commit_parallel}. Doris takes neither from a
 * load (its window is the table's {@code group_commit_interval_ms}).
 *
 * @param interval the merge window
 * @param parallel how many BEs take a window's loads
 */
public record MergeCommitSettings(Duration interval, int parallel) {
}
