# bash completion for linecount(1)                             -*- shell-script -*-
# Installed as share/bash-completion/completions/linecount; works without the
# bash-completion package too (source this file).

_linecount()
{
    local cur prev option value i
    local -a words
    words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
    cur=${words[COMP_CWORD]}
    prev=
    ((COMP_CWORD > 0)) && prev=${words[COMP_CWORD - 1]}
    COMPREPLY=()

    # After "--" every word is a file.
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${words[i]} == -- ]]; then
            _linecount_files "$cur"
            return 0
        fi
    done

    # The option whose value is being completed, and the value typed so far. With "=" in
    # COMP_WORDBREAKS (the default), "--total=o" arrives as the words "--total" "=" "o";
    # without it, as one word; "--total o" is accepted by linecount too.
    option=
    value=$cur
    if [[ $cur == = && $prev == --* ]]; then
        option=$prev
        value=
    elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
        option=${words[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        option=${cur%%=*}
        value=${cur#*=}
    else
        case $prev in
            --files0-from | --total | -j | --jobs | --threads | --include | --exclude | \
                --exclude-dir) option=$prev ;;
        esac
    fi

    case $option in
        --total)
            local -a whens=(auto always only never) when
            for when in "${whens[@]}"; do
                [[ $when == "$value"* ]] && COMPREPLY+=("$when")
            done
            if [[ $cur == --*=* ]]; then
                COMPREPLY=("${COMPREPLY[@]/#/$option=}")
            fi
            return 0
            ;;
        --files0-from)
            # F may be "-" (standard input) or any file.
            if [[ $cur == --*=* ]]; then
                _linecount_files "$value" "$option="
            else
                _linecount_files "$value"
            fi
            [[ -z $value ]] && COMPREPLY+=(-)
            return 0
            ;;
        -j | --jobs | --threads)
            return 0  # a number: nothing to offer
            ;;
        --include | --exclude | --exclude-dir)
            return 0  # a pattern: nothing to offer
            ;;
    esac

    if [[ $cur == -* ]]; then
        local -a options=(
            -l --lines --files0-from= --total= -j --jobs= --threads=
            -k --keep-order --json -0 --null -r --recursive -z --decompress --include=
            --exclude= --exclude-dir= --progress --count-unterminated --help --version
        )
        local opt
        for opt in "${options[@]}"; do
            [[ $opt == "$cur"* ]] && COMPREPLY+=("$opt")
        done
        # No space after an option that takes its value after "=".
        if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
            compopt -o nospace 2>/dev/null
        fi
        return 0
    fi

    _linecount_files "$cur"
    return 0
}

# _linecount_files PREFIX [REPLY_PREFIX]: files and directories starting with PREFIX.
_linecount_files()
{
    local name
    compopt -o filenames 2>/dev/null
    while IFS= read -r name; do
        COMPREPLY+=("${2-}$name")
    done < <(compgen -f -- "$1")
}

complete -F _linecount linecount
