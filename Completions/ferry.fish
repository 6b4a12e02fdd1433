function __ferry_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ferry_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __ferry_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ferry_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __ferry_parse_tokens -S
    set -l unparsed_tokens (__ferry_tokens -pc)
    switch $unparsed_tokens[1]
    case 'ferry'
        __ferry_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'copy'
            __ferry_parse_subcommand 2 'r/recursive' 'overwrite=' 'block-size-mb=' 'concurrency=' 'fixed-concurrency' 'cap-mbps=' 'put-md5' 'check-md5=' 'fsync' 'block-blob-tier=' 'dry-run' 'include-pattern=' 'exclude-pattern=' 'include-path=' 'exclude-path=' 'list-of-files=' 'include-after=' 'include-before=' 'output-type=' 'log-level=' 'receipt=' 'shard=' 'shard-count=' 'auth=' 'bearer-token-file=' 'ca-file=' 's3-endpoint=' 's3-addressing=' 's3-region=' 'version' 'h/help'
        case 'sync'
            __ferry_parse_subcommand 2 'delete-destination=' 'max-delete=' 'compare-hash' 'block-size-mb=' 'concurrency=' 'fixed-concurrency' 'cap-mbps=' 'put-md5' 'check-md5=' 'fsync' 'block-blob-tier=' 'dry-run' 'include-pattern=' 'exclude-pattern=' 'include-path=' 'exclude-path=' 'list-of-files=' 'include-after=' 'include-before=' 'receipt=' 'shard=' 'shard-count=' 'output-type=' 'log-level=' 'auth=' 'bearer-token-file=' 'ca-file=' 's3-endpoint=' 's3-addressing=' 's3-region=' 'version' 'h/help'
        case 'jobs'
            __ferry_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __ferry_parse_subcommand 0 'output-type=' 'log-level=' 'version' 'h/help'
            case 'show'
                __ferry_parse_subcommand 1 'limit=' 'output-type=' 'log-level=' 'version' 'h/help'
            case 'resume'
                __ferry_parse_subcommand 1 'source=' 'destination=' 'concurrency=' 'cap-mbps=' 'output-type=' 'log-level=' 'auth=' 'bearer-token-file=' 'ca-file=' 's3-endpoint=' 's3-addressing=' 's3-region=' 'version' 'h/help'
            case 'clean'
                __ferry_parse_subcommand 1 'all' 'force' 'destination=' 'auth=' 'bearer-token-file=' 'ca-file=' 's3-endpoint=' 's3-addressing=' 's3-region=' 'version' 'h/help'
            end
        case 'ls'
            __ferry_parse_subcommand 1 'r/recursive' 'human-readable' 'include-pattern=' 'exclude-pattern=' 'include-path=' 'exclude-path=' 'list-of-files=' 'include-after=' 'include-before=' 'shard=' 'shard-count=' 'output-type=' 'log-level=' 'auth=' 'bearer-token-file=' 'ca-file=' 's3-endpoint=' 's3-addressing=' 's3-region=' 'version' 'h/help'
        case 'rm'
            __ferry_parse_subcommand 1 'r/recursive' 'dry-run' 'force' 'concurrency=' 'include-pattern=' 'exclude-pattern=' 'include-path=' 'exclude-path=' 'list-of-files=' 'include-after=' 'include-before=' 'output-type=' 'log-level=' 'auth=' 'bearer-token-file=' 'ca-file=' 's3-endpoint=' 's3-addressing=' 's3-region=' 'version' 'h/help'
        case 'receipt'
            __ferry_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'write'
                __ferry_parse_subcommand 1 'output=' 'read' 'concurrency=' 'shard=' 'shard-count=' 'auth=' 'bearer-token-file=' 'ca-file=' 's3-endpoint=' 's3-addressing=' 's3-region=' 'version' 'h/help'
            case 'merge'
                __ferry_parse_subcommand -r 1 'o/output=' 'version' 'h/help'
            end
        case 'verify'
            __ferry_parse_subcommand 2 'read' 'concurrency=' 'shard=' 'shard-count=' 'output-type=' 'log-level=' 'auth=' 'bearer-token-file=' 'ca-file=' 's3-endpoint=' 's3-addressing=' 's3-region=' 'version' 'h/help'
        case 'login'
            __ferry_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'status'
                __ferry_parse_subcommand 1 'output-type=' 'auth=' 'bearer-token-file=' 'ca-file=' 'version' 'h/help'
            end
        case 'help'
            __ferry_parse_subcommand -r 1 'version'
        end
    end
end

function __ferry_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __ferry_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __ferry_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __ferry_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__ferry_tokens -p)
    if test -z "$(__ferry_tokens -t)"
        set -l index (count (__ferry_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'ferry' -f
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry" -eq 1' -fa 'copy' -d 'Copies files or blobs from a source to a destination.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry" -eq 1' -fa 'sync' -d 'Makes a destination hold what a source directory holds, sending only what is new or changed.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry" -eq 1' -fa 'jobs' -d 'Lists, inspects, resumes and removes recorded jobs.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry" -eq 1' -fa 'ls' -d 'Lists the objects under a local directory, an Azure Blob prefix or an S3 prefix.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry" -eq 1' -fa 'rm' -d 'Deletes an object, or with -r every object under a local directory, Azure Blob prefix or S3 prefix.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry" -eq 1' -fa 'receipt' -d 'Writes a receipt of what a location holds now, or merges the receipts of a split copy into one.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry" -eq 1' -fa 'verify' -d 'Checks a local directory, Azure prefix or S3 prefix against a receipt.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry" -eq 1' -fa 'login' -d 'Shows how Ferry signs in to Azure Blob Storage.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" r recursive' -l 'recursive' -s 'r' -d 'Copy directories and everything below them (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" overwrite' -l 'overwrite' -d 'Whether to replace files that already exist at the destination.' -rfka 'true false if-source-newer'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" block-size-mb' -l 'block-size-mb' -d 'Block size in MiB for files larger than one block (default: automatic, 8 MiB and up).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" concurrency' -l 'concurrency' -d 'Parallel requests (default: 32 on up to 4 cores for network transfers, else 4 per core).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" fixed-concurrency' -l 'fixed-concurrency' -d 'Keep --concurrency requests in flight even when the service refuses for load (503 ServerBusy, SlowDown, 429, timeouts). By default Ferry sends less when refused and more again when the refusals stop.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" cap-mbps' -l 'cap-mbps' -d 'Limit throughput to this many megabits per second (default: no limit).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" put-md5' -l 'put-md5' -d 'Compute each file\'s MD5 and store it as Content-MD5 when uploading (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" check-md5' -l 'check-md5' -d 'How a download checks the stored Content-MD5 of what it received.' -rfka 'no-check log-only fail-if-different fail-if-different-or-missing'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" fsync' -l 'fsync' -d 'Flush each downloaded file to disk before it takes its name, so it survives a power cut, not just a killed Ferry (slower on slow disks; files that replace existing ones are always flushed; default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" block-blob-tier' -l 'block-blob-tier' -d 'Access tier of every blob written to an Azure destination (default: the account\'s default tier; archive blobs cannot be read until rehydrated).' -rfka 'hot cool cold archive'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" dry-run' -l 'dry-run' -d 'Print what would be copied (and deleted) and touch nothing (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" include-pattern' -l 'include-pattern' -d 'Take only paths matching one of these \';\'-separated globs: without \'/\' a glob matches the file name (\'*.parquet\'), with \'/\' the relative path, where \'**\' crosses directories (\'train/**/*.json\') (default: all).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" exclude-pattern' -l 'exclude-pattern' -d 'Leave out paths matching one of these \';\'-separated globs, e.g. \'*.tmp;cache/**\' (a directory matched as \'DIR/**\' is not walked; default: none).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" include-path' -l 'include-path' -d 'Take only paths under one of these \';\'-separated relative prefixes, e.g. \'train;val/images\' (default: all).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" exclude-path' -l 'exclude-path' -d 'Leave out paths under these \';\'-separated relative prefixes; such directories are not walked (default: none).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" list-of-files' -l 'list-of-files' -d 'Take only the relative paths listed in this file, one per line; \'-\' reads standard input (default: no list).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" include-after' -l 'include-after' -d 'Take only files modified at or after this ISO 8601 time, e.g. 2026-11-01T00:00:00Z (default: any time).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" include-before' -l 'include-before' -d 'Take only files modified at or before this ISO 8601 time (default: any time).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" output-type' -l 'output-type' -d 'text: a live line on stderr and a summary; json: NDJSON events on stdout only.' -rfka 'text json'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" log-level' -l 'log-level' -d 'The least severe message shown (debug adds error causes).' -rfka 'debug info warning error none'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" receipt' -l 'receipt' -d 'Also write the job\'s receipt (JSON Lines: path, size, CRC-64 per file, then a root hash) to this file when the job completes (default: only $FERRY_HOME/jobs/<job-id>.receipt.jsonl).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" shard' -l 'shard' -d 'Take part I of N (I from 0) of the files, split by bytes the same way on every worker: largest first onto the lightest part. \'auto\' reads SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (a Slurm array), JOB_COMPLETION_INDEX (a Kubernetes Indexed Job; add --shard-count) or RANK/WORLD_SIZE (default: all files).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" shard-count' -l 'shard-count' -d 'How many parts --shard auto splits into, when the environment does not say (a Kubernetes Indexed Job\'s completions).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" auth' -l 'auth' -d 'Use only this kind of Azure credential (default: the chain in `ferry copy --help`).' -rfka 'sas key entra anonymous'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" bearer-token-file' -l 'bearer-token-file' -d 'Read a Microsoft Entra ID bearer token from this file (default: the chain in `ferry copy --help`).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file for Azure and the token issuer (default: SSL_CERT_FILE, CURL_CA_BUNDLE, else the system\'s).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" s3-endpoint' -l 's3-endpoint' -d 'S3 service URL for s3:// URLs, e.g. http://127.0.0.1:8333 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else https://s3.REGION.amazonaws.com).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" s3-addressing' -l 's3-addressing' -d 'Put the bucket in the URL path or in the host name (default: auto — virtual for AWS, path for IP addresses, localhost and custom endpoints).' -rfka 'path virtual auto'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" s3-region' -l 's3-region' -d 'Signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry copy" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" delete-destination' -l 'delete-destination' -d 'Delete destination objects the source no longer has, after the whole source was listed and every file succeeded; prompt asks once with the count (default: false).' -rfka 'false true prompt'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" max-delete' -l 'max-delete' -d 'Stop with exit code 4, deleting nothing, if more than N objects (or N% of the destination) would be deleted (default: no limit).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" compare-hash' -l 'compare-hash' -d 'Decide by content (CRC-64, else MD5; local bytes are read) rather than by size and modification time; catches same-size edits that kept their time (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" block-size-mb' -l 'block-size-mb' -d 'Block size in MiB for files larger than one block (default: automatic, 8 MiB and up).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" concurrency' -l 'concurrency' -d 'Parallel requests (default: 32 on up to 4 cores for network transfers, else 4 per core).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" fixed-concurrency' -l 'fixed-concurrency' -d 'Keep --concurrency requests in flight even when the service refuses for load (503 ServerBusy, SlowDown, 429, timeouts). By default Ferry sends less when refused and more again when the refusals stop.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" cap-mbps' -l 'cap-mbps' -d 'Limit throughput to this many megabits per second (default: no limit).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" put-md5' -l 'put-md5' -d 'Compute each file\'s MD5 and store it as Content-MD5 when uploading (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" check-md5' -l 'check-md5' -d 'How a download checks the stored Content-MD5 of what it received.' -rfka 'no-check log-only fail-if-different fail-if-different-or-missing'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" fsync' -l 'fsync' -d 'Flush each downloaded file to disk before it takes its name, so it survives a power cut, not just a killed Ferry (slower on slow disks; files that replace existing ones are always flushed; default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" block-blob-tier' -l 'block-blob-tier' -d 'Access tier of every blob written to an Azure destination (default: the account\'s default tier; archive blobs cannot be read until rehydrated).' -rfka 'hot cool cold archive'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" dry-run' -l 'dry-run' -d 'Print what would be copied (and deleted) and touch nothing (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" include-pattern' -l 'include-pattern' -d 'Take only paths matching one of these \';\'-separated globs: without \'/\' a glob matches the file name (\'*.parquet\'), with \'/\' the relative path, where \'**\' crosses directories (\'train/**/*.json\') (default: all).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" exclude-pattern' -l 'exclude-pattern' -d 'Leave out paths matching one of these \';\'-separated globs, e.g. \'*.tmp;cache/**\' (a directory matched as \'DIR/**\' is not walked; default: none).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" include-path' -l 'include-path' -d 'Take only paths under one of these \';\'-separated relative prefixes, e.g. \'train;val/images\' (default: all).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" exclude-path' -l 'exclude-path' -d 'Leave out paths under these \';\'-separated relative prefixes; such directories are not walked (default: none).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" list-of-files' -l 'list-of-files' -d 'Take only the relative paths listed in this file, one per line; \'-\' reads standard input (default: no list).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" include-after' -l 'include-after' -d 'Take only files modified at or after this ISO 8601 time, e.g. 2026-11-01T00:00:00Z (default: any time).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" include-before' -l 'include-before' -d 'Take only files modified at or before this ISO 8601 time (default: any time).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" receipt' -l 'receipt' -d 'Also write the job\'s receipt (JSON Lines: path, size, CRC-64 per file, then a root hash) to this file when the job completes (default: only $FERRY_HOME/jobs/<job-id>.receipt.jsonl).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" shard' -l 'shard' -d 'Take part I of N (I from 0) of the files, split by bytes the same way on every worker: largest first onto the lightest part. \'auto\' reads SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (a Slurm array), JOB_COMPLETION_INDEX (a Kubernetes Indexed Job; add --shard-count) or RANK/WORLD_SIZE (default: all files).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" shard-count' -l 'shard-count' -d 'How many parts --shard auto splits into, when the environment does not say (a Kubernetes Indexed Job\'s completions).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" output-type' -l 'output-type' -d 'text: a live line on stderr and a summary; json: NDJSON events on stdout only.' -rfka 'text json'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" log-level' -l 'log-level' -d 'The least severe message shown (debug adds error causes).' -rfka 'debug info warning error none'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" auth' -l 'auth' -d 'Use only this kind of Azure credential (default: the chain in `ferry copy --help`).' -rfka 'sas key entra anonymous'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" bearer-token-file' -l 'bearer-token-file' -d 'Read a Microsoft Entra ID bearer token from this file (default: the chain in `ferry copy --help`).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file for Azure and the token issuer (default: SSL_CERT_FILE, CURL_CA_BUNDLE, else the system\'s).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" s3-endpoint' -l 's3-endpoint' -d 'S3 service URL for s3:// URLs, e.g. http://127.0.0.1:8333 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else https://s3.REGION.amazonaws.com).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" s3-addressing' -l 's3-addressing' -d 'Put the bucket in the URL path or in the host name (default: auto — virtual for AWS, path for IP addresses, localhost and custom endpoints).' -rfka 'path virtual auto'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" s3-region' -l 's3-region' -d 'Signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry sync" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry jobs" -eq 1' -fa 'list' -d 'Lists recorded jobs, oldest first.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry jobs" -eq 1' -fa 'show' -d 'Shows one job: its command, totals and failed files.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry jobs" -eq 1' -fa 'resume' -d 'Resumes a cancelled, failed or interrupted job, sending only what is missing.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry jobs" -eq 1' -fa 'clean' -d 'Deletes the record (database and receipt) of one job, or of every job with --all.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs list" output-type' -l 'output-type' -d 'text: a live line on stderr and a summary; json: NDJSON events on stdout only.' -rfka 'text json'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs list" log-level' -l 'log-level' -d 'The least severe message shown (debug adds error causes).' -rfka 'debug info warning error none'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs list" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs show" limit' -l 'limit' -d 'Failed files to list at most (default: 50).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs show" output-type' -l 'output-type' -d 'text: a live line on stderr and a summary; json: NDJSON events on stdout only.' -rfka 'text json'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs show" log-level' -l 'log-level' -d 'The least severe message shown (debug adds error causes).' -rfka 'debug info warning error none'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs show" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" source' -l 'source' -d 'The source again, e.g. with a fresh SAS (default: the recorded source, without credentials).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" destination' -l 'destination' -d 'The destination again, e.g. with a fresh SAS (default: the recorded destination, without credentials).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" concurrency' -l 'concurrency' -d 'Parallel requests (default: as the job was started, else scaled to the machine).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" cap-mbps' -l 'cap-mbps' -d 'Limit throughput to this many megabits per second (default: as the job was started).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" output-type' -l 'output-type' -d 'text: a live line on stderr and a summary; json: NDJSON events on stdout only.' -rfka 'text json'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" log-level' -l 'log-level' -d 'The least severe message shown (debug adds error causes).' -rfka 'debug info warning error none'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" auth' -l 'auth' -d 'Use only this kind of Azure credential (default: the chain in `ferry copy --help`).' -rfka 'sas key entra anonymous'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" bearer-token-file' -l 'bearer-token-file' -d 'Read a Microsoft Entra ID bearer token from this file (default: the chain in `ferry copy --help`).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file for Azure and the token issuer (default: SSL_CERT_FILE, CURL_CA_BUNDLE, else the system\'s).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" s3-endpoint' -l 's3-endpoint' -d 'S3 service URL for s3:// URLs, e.g. http://127.0.0.1:8333 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else https://s3.REGION.amazonaws.com).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" s3-addressing' -l 's3-addressing' -d 'Put the bucket in the URL path or in the host name (default: auto — virtual for AWS, path for IP addresses, localhost and custom endpoints).' -rfka 'path virtual auto'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" s3-region' -l 's3-region' -d 'Signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs resume" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs clean" all' -l 'all' -d 'Delete every job record (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs clean" force' -l 'force' -d 'Delete the record even if unfinished uploads at the destination could not be aborted (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs clean" destination' -l 'destination' -d 'The destination again, e.g. with a fresh SAS (default: the recorded destination, without credentials).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs clean" auth' -l 'auth' -d 'Use only this kind of Azure credential (default: the chain in `ferry copy --help`).' -rfka 'sas key entra anonymous'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs clean" bearer-token-file' -l 'bearer-token-file' -d 'Read a Microsoft Entra ID bearer token from this file (default: the chain in `ferry copy --help`).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs clean" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file for Azure and the token issuer (default: SSL_CERT_FILE, CURL_CA_BUNDLE, else the system\'s).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs clean" s3-endpoint' -l 's3-endpoint' -d 'S3 service URL for s3:// URLs, e.g. http://127.0.0.1:8333 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else https://s3.REGION.amazonaws.com).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs clean" s3-addressing' -l 's3-addressing' -d 'Put the bucket in the URL path or in the host name (default: auto — virtual for AWS, path for IP addresses, localhost and custom endpoints).' -rfka 'path virtual auto'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs clean" s3-region' -l 's3-region' -d 'Signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs clean" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry jobs clean" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" r recursive' -s 'r' -l 'recursive' -d 'List every object below the location, not only the first level (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" human-readable' -l 'human-readable' -d 'Show sizes in KiB, MiB, GiB (default: bytes).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" include-pattern' -l 'include-pattern' -d 'Take only paths matching one of these \';\'-separated globs: without \'/\' a glob matches the file name (\'*.parquet\'), with \'/\' the relative path, where \'**\' crosses directories (\'train/**/*.json\') (default: all).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" exclude-pattern' -l 'exclude-pattern' -d 'Leave out paths matching one of these \';\'-separated globs, e.g. \'*.tmp;cache/**\' (a directory matched as \'DIR/**\' is not walked; default: none).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" include-path' -l 'include-path' -d 'Take only paths under one of these \';\'-separated relative prefixes, e.g. \'train;val/images\' (default: all).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" exclude-path' -l 'exclude-path' -d 'Leave out paths under these \';\'-separated relative prefixes; such directories are not walked (default: none).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" list-of-files' -l 'list-of-files' -d 'Take only the relative paths listed in this file, one per line; \'-\' reads standard input (default: no list).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" include-after' -l 'include-after' -d 'Take only files modified at or after this ISO 8601 time, e.g. 2026-11-01T00:00:00Z (default: any time).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" include-before' -l 'include-before' -d 'Take only files modified at or before this ISO 8601 time (default: any time).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" shard' -l 'shard' -d 'Take part I of N (I from 0) of the files, split by bytes the same way on every worker: largest first onto the lightest part. \'auto\' reads SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (a Slurm array), JOB_COMPLETION_INDEX (a Kubernetes Indexed Job; add --shard-count) or RANK/WORLD_SIZE (default: all files).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" shard-count' -l 'shard-count' -d 'How many parts --shard auto splits into, when the environment does not say (a Kubernetes Indexed Job\'s completions).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" output-type' -l 'output-type' -d 'text: a live line on stderr and a summary; json: NDJSON events on stdout only.' -rfka 'text json'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" log-level' -l 'log-level' -d 'The least severe message shown (debug adds error causes).' -rfka 'debug info warning error none'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" auth' -l 'auth' -d 'Use only this kind of Azure credential (default: the chain in `ferry copy --help`).' -rfka 'sas key entra anonymous'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" bearer-token-file' -l 'bearer-token-file' -d 'Read a Microsoft Entra ID bearer token from this file (default: the chain in `ferry copy --help`).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file for Azure and the token issuer (default: SSL_CERT_FILE, CURL_CA_BUNDLE, else the system\'s).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" s3-endpoint' -l 's3-endpoint' -d 'S3 service URL for s3:// URLs, e.g. http://127.0.0.1:8333 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else https://s3.REGION.amazonaws.com).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" s3-addressing' -l 's3-addressing' -d 'Put the bucket in the URL path or in the host name (default: auto — virtual for AWS, path for IP addresses, localhost and custom endpoints).' -rfka 'path virtual auto'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" s3-region' -l 's3-region' -d 'Signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry ls" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" r recursive' -s 'r' -l 'recursive' -d 'Delete every object under the location (default: only the object it names).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" dry-run' -l 'dry-run' -d 'Print what would be deleted and delete nothing (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" force' -l 'force' -d 'Delete recursively without asking for confirmation (default: ask on a terminal).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" concurrency' -l 'concurrency' -d 'Delete requests in flight at once; on S3 each carries up to 1,000 keys (default: 32).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" include-pattern' -l 'include-pattern' -d 'Take only paths matching one of these \';\'-separated globs: without \'/\' a glob matches the file name (\'*.parquet\'), with \'/\' the relative path, where \'**\' crosses directories (\'train/**/*.json\') (default: all).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" exclude-pattern' -l 'exclude-pattern' -d 'Leave out paths matching one of these \';\'-separated globs, e.g. \'*.tmp;cache/**\' (a directory matched as \'DIR/**\' is not walked; default: none).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" include-path' -l 'include-path' -d 'Take only paths under one of these \';\'-separated relative prefixes, e.g. \'train;val/images\' (default: all).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" exclude-path' -l 'exclude-path' -d 'Leave out paths under these \';\'-separated relative prefixes; such directories are not walked (default: none).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" list-of-files' -l 'list-of-files' -d 'Take only the relative paths listed in this file, one per line; \'-\' reads standard input (default: no list).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" include-after' -l 'include-after' -d 'Take only files modified at or after this ISO 8601 time, e.g. 2026-11-01T00:00:00Z (default: any time).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" include-before' -l 'include-before' -d 'Take only files modified at or before this ISO 8601 time (default: any time).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" output-type' -l 'output-type' -d 'text: a live line on stderr and a summary; json: NDJSON events on stdout only.' -rfka 'text json'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" log-level' -l 'log-level' -d 'The least severe message shown (debug adds error causes).' -rfka 'debug info warning error none'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" auth' -l 'auth' -d 'Use only this kind of Azure credential (default: the chain in `ferry copy --help`).' -rfka 'sas key entra anonymous'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" bearer-token-file' -l 'bearer-token-file' -d 'Read a Microsoft Entra ID bearer token from this file (default: the chain in `ferry copy --help`).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file for Azure and the token issuer (default: SSL_CERT_FILE, CURL_CA_BUNDLE, else the system\'s).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" s3-endpoint' -l 's3-endpoint' -d 'S3 service URL for s3:// URLs, e.g. http://127.0.0.1:8333 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else https://s3.REGION.amazonaws.com).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" s3-addressing' -l 's3-addressing' -d 'Put the bucket in the URL path or in the host name (default: auto — virtual for AWS, path for IP addresses, localhost and custom endpoints).' -rfka 'path virtual auto'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" s3-region' -l 's3-region' -d 'Signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry rm" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry receipt" -eq 1' -fa 'write' -d 'Writes a receipt of the files a local directory, Azure prefix or S3 prefix holds now.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry receipt" -eq 1' -fa 'merge' -d 'Merges the receipts of the parts of a split copy into the receipt of the whole tree.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" output' -l 'output' -d 'Write the receipt to this file (default: standard output).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" read' -l 'read' -d 'Compute every remote object\'s CRC-64 from its bytes instead of the stored one (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" concurrency' -l 'concurrency' -d 'Objects checksummed or read in parallel (default: 16).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" shard' -l 'shard' -d 'Take part I of N (I from 0) of the files, split by bytes the same way on every worker: largest first onto the lightest part. \'auto\' reads SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (a Slurm array), JOB_COMPLETION_INDEX (a Kubernetes Indexed Job; add --shard-count) or RANK/WORLD_SIZE (default: all files).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" shard-count' -l 'shard-count' -d 'How many parts --shard auto splits into, when the environment does not say (a Kubernetes Indexed Job\'s completions).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" auth' -l 'auth' -d 'Use only this kind of Azure credential (default: the chain in `ferry copy --help`).' -rfka 'sas key entra anonymous'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" bearer-token-file' -l 'bearer-token-file' -d 'Read a Microsoft Entra ID bearer token from this file (default: the chain in `ferry copy --help`).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file for Azure and the token issuer (default: SSL_CERT_FILE, CURL_CA_BUNDLE, else the system\'s).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" s3-endpoint' -l 's3-endpoint' -d 'S3 service URL for s3:// URLs, e.g. http://127.0.0.1:8333 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else https://s3.REGION.amazonaws.com).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" s3-addressing' -l 's3-addressing' -d 'Put the bucket in the URL path or in the host name (default: auto — virtual for AWS, path for IP addresses, localhost and custom endpoints).' -rfka 'path virtual auto'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" s3-region' -l 's3-region' -d 'Signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt write" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt merge" o output' -s 'o' -l 'output' -d 'Write the merged receipt to this file; - for standard output (required).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt merge" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry receipt merge" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" read' -l 'read' -d 'Read every remote object\'s bytes instead of trusting its stored CRC-64 (default: off).'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" concurrency' -l 'concurrency' -d 'Objects checksummed or read in parallel (default: 16).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" shard' -l 'shard' -d 'Take part I of N (I from 0) of the files, split by bytes the same way on every worker: largest first onto the lightest part. \'auto\' reads SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT (a Slurm array), JOB_COMPLETION_INDEX (a Kubernetes Indexed Job; add --shard-count) or RANK/WORLD_SIZE (default: all files).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" shard-count' -l 'shard-count' -d 'How many parts --shard auto splits into, when the environment does not say (a Kubernetes Indexed Job\'s completions).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" output-type' -l 'output-type' -d 'text: a live line on stderr and a summary; json: NDJSON events on stdout only.' -rfka 'text json'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" log-level' -l 'log-level' -d 'The least severe message shown (debug adds error causes).' -rfka 'debug info warning error none'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" auth' -l 'auth' -d 'Use only this kind of Azure credential (default: the chain in `ferry copy --help`).' -rfka 'sas key entra anonymous'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" bearer-token-file' -l 'bearer-token-file' -d 'Read a Microsoft Entra ID bearer token from this file (default: the chain in `ferry copy --help`).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file for Azure and the token issuer (default: SSL_CERT_FILE, CURL_CA_BUNDLE, else the system\'s).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" s3-endpoint' -l 's3-endpoint' -d 'S3 service URL for s3:// URLs, e.g. http://127.0.0.1:8333 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else https://s3.REGION.amazonaws.com).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" s3-addressing' -l 's3-addressing' -d 'Put the bucket in the URL path or in the host name (default: auto — virtual for AWS, path for IP addresses, localhost and custom endpoints).' -rfka 'path virtual auto'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" s3-region' -l 's3-region' -d 'Signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry login" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry login" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_positional "ferry login" -eq 1' -fa 'status' -d 'Shows which Azure credential would be used, for which principal, and what it may do at a URL.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry login status" output-type' -l 'output-type' -d 'text: one line per fact; json: one JSON object on stdout.' -rfka 'text json'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry login status" auth' -l 'auth' -d 'Use only this kind of Azure credential (default: the chain in `ferry copy --help`).' -rfka 'sas key entra anonymous'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry login status" bearer-token-file' -l 'bearer-token-file' -d 'Read a Microsoft Entra ID bearer token from this file (default: the chain in `ferry copy --help`).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry login status" ca-file' -l 'ca-file' -d 'Trust the CA certificates in this PEM file for Azure and the token issuer (default: SSL_CERT_FILE, CURL_CA_BUNDLE, else the system\'s).' -rfka ''
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry login status" version' -l 'version' -d 'Show the version.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry login status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry' -n '__ferry_should_offer_completions_for_flags_or_options "ferry help" version' -l 'version' -d 'Show the version.'
