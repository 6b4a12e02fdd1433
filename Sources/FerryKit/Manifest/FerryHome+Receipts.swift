/// Where a job's receipt is kept: beside its database, `$FERRY_HOME/jobs/<job-id>.receipt.jsonl`.
extension FerryHome {
    public func receiptPath(jobID: String) -> String { jobsDirectory + "/" + jobID + ".receipt.jsonl" }
}
