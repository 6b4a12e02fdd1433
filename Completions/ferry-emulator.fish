function __ferry-emulator_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ferry-emulator_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __ferry-emulator_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ferry-emulator_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __ferry-emulator_parse_tokens -S
    set -l unparsed_tokens (__ferry-emulator_tokens -pc)
    switch $unparsed_tokens[1]
    case 'ferry-emulator'
        __ferry-emulator_parse_subcommand 0 'host=' 'port=' 'location=' 'account=' 'account-key=' 'bearer-token=' 'tls-cert=' 'tls-key=' 'principals=' 'fault=+' 'fault-seed=' 'account-limits=' 'log-level=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __ferry-emulator_parse_subcommand -r 1 'version'
        end
    end
end

function __ferry-emulator_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __ferry-emulator_parse_subcommand -S -a positional_count
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

function __ferry-emulator_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __ferry-emulator_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__ferry-emulator_tokens -p)
    if test -z "$(__ferry-emulator_tokens -t)"
        set -l index (count (__ferry-emulator_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'ferry-emulator' -f
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" host' -l 'host' -d 'Address to listen on.' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" port' -l 'port' -d 'TCP port to listen on; 0 picks a free one.' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" location' -l 'location' -d 'Directory that holds all state; created if missing.' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" account' -l 'account' -d 'Storage account name served.' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" account-key' -l 'account-key' -d 'Base64 account key for Shared Key and SAS (default: the well-known development key).' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" bearer-token' -l 'bearer-token' -d 'Accept \'Authorization: Bearer TOKEN\' with this token (default: none).' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" tls-cert' -l 'tls-cert' -d 'PEM certificate chain: with --tls-key the port serves https as well as http (default: http only).' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" tls-key' -l 'tls-key' -d 'PEM private key of --tls-cert.' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" principals' -l 'principals' -d 'Entra ID directory (JSON, see above): issue tokens and enforce Storage Blob Data roles (default: none).' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator"' -l 'fault' -d 'Inject faults per RULE (repeatable; default: none). See above.' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" fault-seed' -l 'fault-seed' -d 'Seed for the fault rules\' random choices.' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" account-limits' -l 'account-limits' -d 'Account LIMITS (requests/s, ingress and egress Mb/s) past which requests get 503 ServerBusy (default: none). See above.' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" log-level' -l 'log-level' -d 'error, info or debug (debug: one line per request on stderr).' -rfka ''
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" version' -l 'version' -d 'Show the version.'
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_positional "ferry-emulator" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'ferry-emulator' -n '__ferry-emulator_should_offer_completions_for_flags_or_options "ferry-emulator help" version' -l 'version' -d 'Show the version.'
