import Testing
@testable import FerryKit

@Suite struct ShardSpecTests {
    @Test func parsesIOverN() throws {
        let spec = try ShardSpec(parsing: "2/4")
        #expect(spec.index == 2 && spec.count == 4 && spec.description == "2/4")
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3", ""] {
            #expect(throws: FerryError.self) { try ShardSpec(parsing: bad) }
        }
    }

    @Test func slurmArrayCountOrMinMaxAndStep() throws {
        let counted = try ShardFromEnvironment.read(["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"], explicitCount: nil)
        #expect(counted.spec == (try ShardSpec(index: 3, count: 4)))
        #expect(counted.origin == "SLURM_ARRAY_TASK_ID=3, SLURM_ARRAY_TASK_COUNT=4")
        // --array=1-4: tasks 1…4 are shards 0…3.
        let ranged = try ShardFromEnvironment.read(["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "1",
                                                    "SLURM_ARRAY_TASK_MAX": "4"], explicitCount: nil)
        #expect(ranged.spec == (try ShardSpec(index: 0, count: 4)))
        // --array=0-6:2: tasks 0,2,4,6.
        let stepped = try ShardFromEnvironment.read(["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "0",
                                                     "SLURM_ARRAY_TASK_MAX": "6", "SLURM_ARRAY_TASK_STEP": "2"], explicitCount: nil)
        #expect(stepped.spec == (try ShardSpec(index: 2, count: 4)))
    }

    @Test func kubernetesNeedsShardCountAndTrainingLaunchersGiveWorldSize() throws {
        #expect(throws: FerryError.self) { try ShardFromEnvironment.read(["JOB_COMPLETION_INDEX": "1"], explicitCount: nil) }
        let indexed = try ShardFromEnvironment.read(["JOB_COMPLETION_INDEX": "1"], explicitCount: 4)
        #expect(indexed.spec == (try ShardSpec(index: 1, count: 4)))
        #expect(indexed.origin == "JOB_COMPLETION_INDEX=1, --shard-count 4")
        let ranked = try ShardFromEnvironment.read(["RANK": "5", "WORLD_SIZE": "8"], explicitCount: nil)
        #expect(ranked.spec == (try ShardSpec(index: 5, count: 8)))
        #expect(throws: FerryError.self) { try ShardFromEnvironment.read([:], explicitCount: nil) }
        #expect(throws: FerryError.self) { try ShardFromEnvironment.read(["RANK": "x", "WORLD_SIZE": "2"], explicitCount: nil) }
    }
}
