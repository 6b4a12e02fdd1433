#!/bin/bash

__ferry_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__ferry_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__ferry_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__ferry_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_ferry() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __ferry_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    copy|sync|jobs|ls|rm|receipt|verify|login|help)
        # Offer subcommand argument completions
        "_ferry_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'copy sync jobs ls rm receipt verify login help' -- "${cur}"))
        ;;
    esac
}

_ferry_copy() {
    repeating_flags=()
    non_repeating_flags=(--recursive -r --fixed-concurrency --put-md5 --fsync --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--overwrite --block-size-mb --concurrency --cap-mbps --check-md5 --block-blob-tier --include-pattern --exclude-pattern --include-path --exclude-path --list-of-files --include-after --include-before --output-type --log-level --receipt --shard --shard-count --auth --bearer-token-file --ca-file --s3-endpoint --s3-addressing --s3-region)
    __ferry_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--overwrite')
        __ferry_add_completions -W 'true'$'\n''false'$'\n''if-source-newer'
        return
        ;;
    '--block-size-mb')
        return
        ;;
    '--concurrency')
        return
        ;;
    '--cap-mbps')
        return
        ;;
    '--check-md5')
        __ferry_add_completions -W 'no-check'$'\n''log-only'$'\n''fail-if-different'$'\n''fail-if-different-or-missing'
        return
        ;;
    '--block-blob-tier')
        __ferry_add_completions -W 'hot'$'\n''cool'$'\n''cold'$'\n''archive'
        return
        ;;
    '--include-pattern')
        return
        ;;
    '--exclude-pattern')
        return
        ;;
    '--include-path')
        return
        ;;
    '--exclude-path')
        return
        ;;
    '--list-of-files')
        return
        ;;
    '--include-after')
        return
        ;;
    '--include-before')
        return
        ;;
    '--output-type')
        __ferry_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--log-level')
        __ferry_add_completions -W 'debug'$'\n''info'$'\n''warning'$'\n''error'$'\n''none'
        return
        ;;
    '--receipt')
        return
        ;;
    '--shard')
        return
        ;;
    '--shard-count')
        return
        ;;
    '--auth')
        __ferry_add_completions -W 'sas'$'\n''key'$'\n''entra'$'\n''anonymous'
        return
        ;;
    '--bearer-token-file')
        return
        ;;
    '--ca-file')
        return
        ;;
    '--s3-endpoint')
        return
        ;;
    '--s3-addressing')
        __ferry_add_completions -W 'path'$'\n''virtual'$'\n''auto'
        return
        ;;
    '--s3-region')
        return
        ;;
    esac
}

_ferry_sync() {
    repeating_flags=()
    non_repeating_flags=(--compare-hash --fixed-concurrency --put-md5 --fsync --dry-run --version -h --help)
    repeating_options=()
    non_repeating_options=(--delete-destination --max-delete --block-size-mb --concurrency --cap-mbps --check-md5 --block-blob-tier --include-pattern --exclude-pattern --include-path --exclude-path --list-of-files --include-after --include-before --receipt --shard --shard-count --output-type --log-level --auth --bearer-token-file --ca-file --s3-endpoint --s3-addressing --s3-region)
    __ferry_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--delete-destination')
        __ferry_add_completions -W 'false'$'\n''true'$'\n''prompt'
        return
        ;;
    '--max-delete')
        return
        ;;
    '--block-size-mb')
        return
        ;;
    '--concurrency')
        return
        ;;
    '--cap-mbps')
        return
        ;;
    '--check-md5')
        __ferry_add_completions -W 'no-check'$'\n''log-only'$'\n''fail-if-different'$'\n''fail-if-different-or-missing'
        return
        ;;
    '--block-blob-tier')
        __ferry_add_completions -W 'hot'$'\n''cool'$'\n''cold'$'\n''archive'
        return
        ;;
    '--include-pattern')
        return
        ;;
    '--exclude-pattern')
        return
        ;;
    '--include-path')
        return
        ;;
    '--exclude-path')
        return
        ;;
    '--list-of-files')
        return
        ;;
    '--include-after')
        return
        ;;
    '--include-before')
        return
        ;;
    '--receipt')
        return
        ;;
    '--shard')
        return
        ;;
    '--shard-count')
        return
        ;;
    '--output-type')
        __ferry_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--log-level')
        __ferry_add_completions -W 'debug'$'\n''info'$'\n''warning'$'\n''error'$'\n''none'
        return
        ;;
    '--auth')
        __ferry_add_completions -W 'sas'$'\n''key'$'\n''entra'$'\n''anonymous'
        return
        ;;
    '--bearer-token-file')
        return
        ;;
    '--ca-file')
        return
        ;;
    '--s3-endpoint')
        return
        ;;
    '--s3-addressing')
        __ferry_add_completions -W 'path'$'\n''virtual'$'\n''auto'
        return
        ;;
    '--s3-region')
        return
        ;;
    esac
}

_ferry_jobs() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __ferry_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|show|resume|clean)
        # Offer subcommand argument completions
        "_ferry_jobs_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list show resume clean' -- "${cur}"))
        ;;
    esac
}

_ferry_jobs_list() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--output-type --log-level)
    __ferry_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--output-type')
        __ferry_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--log-level')
        __ferry_add_completions -W 'debug'$'\n''info'$'\n''warning'$'\n''error'$'\n''none'
        return
        ;;
    esac
}

_ferry_jobs_show() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--limit --output-type --log-level)
    __ferry_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--limit')
        return
        ;;
    '--output-type')
        __ferry_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--log-level')
        __ferry_add_completions -W 'debug'$'\n''info'$'\n''warning'$'\n''error'$'\n''none'
        return
        ;;
    esac
}

_ferry_jobs_resume() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--source --destination --concurrency --cap-mbps --output-type --log-level --auth --bearer-token-file --ca-file --s3-endpoint --s3-addressing --s3-region)
    __ferry_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--source')
        return
        ;;
    '--destination')
        return
        ;;
    '--concurrency')
        return
        ;;
    '--cap-mbps')
        return
        ;;
    '--output-type')
        __ferry_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--log-level')
        __ferry_add_completions -W 'debug'$'\n''info'$'\n''warning'$'\n''error'$'\n''none'
        return
        ;;
    '--auth')
        __ferry_add_completions -W 'sas'$'\n''key'$'\n''entra'$'\n''anonymous'
        return
        ;;
    '--bearer-token-file')
        return
        ;;
    '--ca-file')
        return
        ;;
    '--s3-endpoint')
        return
        ;;
    '--s3-addressing')
        __ferry_add_completions -W 'path'$'\n''virtual'$'\n''auto'
        return
        ;;
    '--s3-region')
        return
        ;;
    esac
}

_ferry_jobs_clean() {
    repeating_flags=()
    non_repeating_flags=(--all --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--destination --auth --bearer-token-file --ca-file --s3-endpoint --s3-addressing --s3-region)
    __ferry_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--destination')
        return
        ;;
    '--auth')
        __ferry_add_completions -W 'sas'$'\n''key'$'\n''entra'$'\n''anonymous'
        return
        ;;
    '--bearer-token-file')
        return
        ;;
    '--ca-file')
        return
        ;;
    '--s3-endpoint')
        return
        ;;
    '--s3-addressing')
        __ferry_add_completions -W 'path'$'\n''virtual'$'\n''auto'
        return
        ;;
    '--s3-region')
        return
        ;;
    esac
}

_ferry_ls() {
    repeating_flags=()
    non_repeating_flags=(-r --recursive --human-readable --version -h --help)
    repeating_options=()
    non_repeating_options=(--include-pattern --exclude-pattern --include-path --exclude-path --list-of-files --include-after --include-before --shard --shard-count --output-type --log-level --auth --bearer-token-file --ca-file --s3-endpoint --s3-addressing --s3-region)
    __ferry_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--include-pattern')
        return
        ;;
    '--exclude-pattern')
        return
        ;;
    '--include-path')
        return
        ;;
    '--exclude-path')
        return
        ;;
    '--list-of-files')
        return
        ;;
    '--include-after')
        return
        ;;
    '--include-before')
        return
        ;;
    '--shard')
        return
        ;;
    '--shard-count')
        return
        ;;
    '--output-type')
        __ferry_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--log-level')
        __ferry_add_completions -W 'debug'$'\n''info'$'\n''warning'$'\n''error'$'\n''none'
        return
        ;;
    '--auth')
        __ferry_add_completions -W 'sas'$'\n''key'$'\n''entra'$'\n''anonymous'
        return
        ;;
    '--bearer-token-file')
        return
        ;;
    '--ca-file')
        return
        ;;
    '--s3-endpoint')
        return
        ;;
    '--s3-addressing')
        __ferry_add_completions -W 'path'$'\n''virtual'$'\n''auto'
        return
        ;;
    '--s3-region')
        return
        ;;
    esac
}

_ferry_rm() {
    repeating_flags=()
    non_repeating_flags=(-r --recursive --dry-run --force --version -h --help)
    repeating_options=()
    non_repeating_options=(--concurrency --include-pattern --exclude-pattern --include-path --exclude-path --list-of-files --include-after --include-before --output-type --log-level --auth --bearer-token-file --ca-file --s3-endpoint --s3-addressing --s3-region)
    __ferry_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--concurrency')
        return
        ;;
    '--include-pattern')
        return
        ;;
    '--exclude-pattern')
        return
        ;;
    '--include-path')
        return
        ;;
    '--exclude-path')
        return
        ;;
    '--list-of-files')
        return
        ;;
    '--include-after')
        return
        ;;
    '--include-before')
        return
        ;;
    '--output-type')
        __ferry_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--log-level')
        __ferry_add_completions -W 'debug'$'\n''info'$'\n''warning'$'\n''error'$'\n''none'
        return
        ;;
    '--auth')
        __ferry_add_completions -W 'sas'$'\n''key'$'\n''entra'$'\n''anonymous'
        return
        ;;
    '--bearer-token-file')
        return
        ;;
    '--ca-file')
        return
        ;;
    '--s3-endpoint')
        return
        ;;
    '--s3-addressing')
        __ferry_add_completions -W 'path'$'\n''virtual'$'\n''auto'
        return
        ;;
    '--s3-region')
        return
        ;;
    esac
}

_ferry_receipt() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __ferry_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    write|merge)
        # Offer subcommand argument completions
        "_ferry_receipt_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'write merge' -- "${cur}"))
        ;;
    esac
}

_ferry_receipt_write() {
    repeating_flags=()
    non_repeating_flags=(--read --version -h --help)
    repeating_options=()
    non_repeating_options=(--output --concurrency --shard --shard-count --auth --bearer-token-file --ca-file --s3-endpoint --s3-addressing --s3-region)
    __ferry_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output')
        return
        ;;
    '--concurrency')
        return
        ;;
    '--shard')
        return
        ;;
    '--shard-count')
        return
        ;;
    '--auth')
        __ferry_add_completions -W 'sas'$'\n''key'$'\n''entra'$'\n''anonymous'
        return
        ;;
    '--bearer-token-file')
        return
        ;;
    '--ca-file')
        return
        ;;
    '--s3-endpoint')
        return
        ;;
    '--s3-addressing')
        __ferry_add_completions -W 'path'$'\n''virtual'$'\n''auto'
        return
        ;;
    '--s3-region')
        return
        ;;
    esac
}

_ferry_receipt_merge() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(-o --output)
    __ferry_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '-o'|'--output')
        return
        ;;
    esac
}

_ferry_verify() {
    repeating_flags=()
    non_repeating_flags=(--read --version -h --help)
    repeating_options=()
    non_repeating_options=(--concurrency --shard --shard-count --output-type --log-level --auth --bearer-token-file --ca-file --s3-endpoint --s3-addressing --s3-region)
    __ferry_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--concurrency')
        return
        ;;
    '--shard')
        return
        ;;
    '--shard-count')
        return
        ;;
    '--output-type')
        __ferry_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--log-level')
        __ferry_add_completions -W 'debug'$'\n''info'$'\n''warning'$'\n''error'$'\n''none'
        return
        ;;
    '--auth')
        __ferry_add_completions -W 'sas'$'\n''key'$'\n''entra'$'\n''anonymous'
        return
        ;;
    '--bearer-token-file')
        return
        ;;
    '--ca-file')
        return
        ;;
    '--s3-endpoint')
        return
        ;;
    '--s3-addressing')
        __ferry_add_completions -W 'path'$'\n''virtual'$'\n''auto'
        return
        ;;
    '--s3-region')
        return
        ;;
    esac
}

_ferry_login() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __ferry_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    status)
        # Offer subcommand argument completions
        "_ferry_login_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'status' -- "${cur}"))
        ;;
    esac
}

_ferry_login_status() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=(--output-type --auth --bearer-token-file --ca-file)
    __ferry_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--output-type')
        __ferry_add_completions -W 'text'$'\n''json'
        return
        ;;
    '--auth')
        __ferry_add_completions -W 'sas'$'\n''key'$'\n''entra'$'\n''anonymous'
        return
        ;;
    '--bearer-token-file')
        return
        ;;
    '--ca-file')
        return
        ;;
    esac
}

_ferry_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __ferry_offer_flags_options -1
}

complete -o filenames -F _ferry ferry
