// Who may send and receive which message type (DOMAIN.md, "The people and the
// path of one loan"). One table, used by configuration checks, intake
// authorisation and routing alike.
#ifndef LENDGATE_MODEL_ROLES_H
#define LENDGATE_MODEL_ROLES_H

#include <optional>
#include <string_view>

#include "core/model/message.h"

namespace lendgate::model {

enum class PartnerRole { Lender, Servicer, RepoFirm, Nonprofit };

std::string_view toString(PartnerRole role);
std::optional<PartnerRole> partnerRoleFromString(std::string_view text);

/// A partner of this role may submit messages of this type. Referrals and
/// ACKs are only ever made by the gateway itself.
bool maySend(PartnerRole role, MessageType type);

/// A partner of this role may be a destination for messages of this type.
/// Consents never leave the gateway: they gate referrals.
bool mayReceive(PartnerRole role, MessageType type);

}  // namespace lendgate::model

#endif  // LENDGATE_MODEL_ROLES_H
